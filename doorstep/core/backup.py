"""Backups (备份) of the database only: PostgreSQL with `pg_dump -Fc` (consistent: one snapshot),
SQLite with the online backup API (safe while the site runs). Encryption keys (SECRET_KEY,
FIELD_ENCRYPTION_KEY) live in the environment, never in the database, so never in a backup:
keep them apart (see docs/operations.md). A backup is only a backup once it was restored:
`backup_verify` restores into a scratch database and checks row counts and the love-fund chain.
"""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection

ROOT = Path(settings.PROJECT_DIR)


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_url(db: dict[str, Any], name: str) -> str:
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def counts_path(output: Path) -> Path:
    return output.with_name(output.name + ".counts.json")


def backup(output: Path) -> dict[str, int]:
    """Write the backup and, beside it, the row counts of the very state it holds."""
    db = connection.settings_dict
    output.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        counts = _pg_dump(db, output)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output)
        with target:
            connection.connection.backup(target)
        target.close()
        counts = _sqlite_counts(output)
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"no backup for {connection.vendor}")
    counts_path(output).write_text(json.dumps(counts, indent=1, sort_keys=True))
    return counts


def _pg_dump(db: dict[str, Any], output: Path) -> dict[str, int]:
    """Count rows and dump from one exported snapshot, so the counts match the dump exactly."""
    import psycopg

    with psycopg.connect(_pg_url(db, db["NAME"]), autocommit=False) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        snapshot = str(row[0])
        counts = {}
        for table in sorted(_tables()):
            found = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
            counts[table] = int(found[0]) if found else 0
        subprocess.run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                f"--snapshot={snapshot}",
                "-f",
                str(output),
                db["NAME"],
            ],
            env=_pg_env(db),
            check=True,
        )
        conn.rollback()
    return counts


def _tables() -> set[str]:
    return {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }


def restore(source: Path) -> None:
    """Replace the default database's content with the backup's."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        _pg_restore(db, db["NAME"], source, clean=True)
        # pg_restore leaves the planner without statistics until autovacuum gets round to
        # each table, and it never does for tables under 50 rows (a district's streets), so
        # district-wide plans guess wrong after a restore (docs/scale.md). Gather them now.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    backup_db = sqlite3.connect(source)
    connection.ensure_connection()
    with backup_db:
        backup_db.backup(connection.connection)
    backup_db.close()


def _pg_restore(db: dict[str, Any], name: str, source: Path, *, clean: bool) -> None:
    args = ["pg_restore", "--no-owner", "--exit-on-error", "-d", name]
    if clean:
        args[1:1] = ["--clean", "--if-exists", "--single-transaction"]
    subprocess.run([*args, str(source)], env=_pg_env(db), check=True)


def _manage(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "doorstep.manage", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {t: int(db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in _tables()}


def _pg_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as db:
        counts = {}
        for table in _tables():
            row = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
            counts[table] = int(row[0]) if row else 0
        return counts


def backup_verify(source: Path) -> list[str]:
    """Restore into a scratch database, compare its row counts with those recorded at backup
    time and recompute the love-fund chain there. Returns the problems (none: the backup is
    good); the scratch database is dropped afterwards."""
    db = connection.settings_dict
    expected_file = counts_path(source)
    expected = json.loads(expected_file.read_text()) if expected_file.exists() else None
    with tempfile.TemporaryDirectory(prefix="doorstep-verify-") as tmp:
        if connection.vendor == "postgresql":
            import psycopg

            scratch = f"{db['NAME']}_verify"
            admin_url = _pg_url(db, "postgres")
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
                admin.execute(f'CREATE DATABASE "{scratch}"')
            try:
                _pg_restore(db, scratch, source, clean=False)
                url = _pg_url(db, scratch)
                return _check(url, _pg_counts(url), expected)
            finally:
                with psycopg.connect(admin_url, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        copy = Path(tmp) / "verify.sqlite3"
        with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
            original.backup(target)
        return _check(f"sqlite:///{copy}", _sqlite_counts(copy), expected)


def _check(url: str, counts: dict[str, int], expected: dict[str, int] | None) -> list[str]:
    problems = []
    if expected is None:
        problems.append("没有找到备份时记录的行数文件（*.counts.json），无法比对行数。")
    else:
        for table, n in sorted(expected.items()):
            if counts.get(table) != n:
                problems.append(f"{table}: 备份时 {n} 行，恢复后 {counts.get(table)} 行")
    fund = _manage(url, "fund", "verify")
    if fund.returncode != 0:
        problems.append(f"爱心基金台账校验失败：{(fund.stderr or fund.stdout).strip()}")
    return problems
