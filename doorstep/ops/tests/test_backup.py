"""`doorstep backup` / `restore` / `backup --verify`, on the suite's database (SQLite file or
PostgreSQL): a backup restores, a verify catches wrong row counts and a broken fund chain."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.core.backup import counts_path
from doorstep.fund import services as fund
from doorstep.fund.models import FundEntry


def _donate(world: World) -> None:
    fund.fund_donation_record(
        actor=world.desk_a,
        community_id=world.a.pk,
        amount="100",
        day=timezone.localdate(),
        channel="cash",
        anonymous=True,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_verifies_and_restores_what_it_saved(world: World, tmp_path: Path) -> None:
    _donate(world)
    world.intake()
    out = StringIO()
    file = tmp_path / "doorstep.backup"
    call_command("backup", "--output", str(file), stdout=out)
    assert file.stat().st_size > 0 and "密钥不在备份中" in out.getvalue()
    assert json.loads(counts_path(file).read_text())["cases_case"] == 1
    out = StringIO()
    call_command("backup", "--verify", str(file), stdout=out)
    assert "校验通过" in out.getvalue()
    world.intake()  # written after the backup: gone after the restore
    assert Case.objects.count() == 2
    call_command("restore", str(file), "--yes", stdout=StringIO())
    assert Case.objects.count() == 1 and FundEntry.objects.count() == 1
    if connection.vendor == "postgresql":  # the planner has statistics again, small tables too
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL "
                "AND relname IN ('places_street', 'places_community', 'cases_case')"
            )
            assert cursor.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_verify_refuses_a_backup_whose_rows_differ_or_whose_fund_chain_breaks(
    world: World, tmp_path: Path
) -> None:
    _donate(world)
    FundEntry.objects.update(amount="999.00")  # tampered before the backup: the chain breaks
    file = tmp_path / "doorstep.backup"
    call_command("backup", "--output", str(file), stdout=StringIO())
    counts = json.loads(counts_path(file).read_text())
    counts["cases_case"] += 1
    counts_path(file).write_text(json.dumps(counts))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("backup", "--verify", str(file), stdout=StringIO(), stderr=err)
    assert "cases_case" in err.getvalue() and "台账校验失败" in err.getvalue()
