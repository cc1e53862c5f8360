"""Benchmark the router: dev-set fixed split, 5-fold CV, and optionally a train/test CSV pair.

Run: `.venv/bin/python bench/routing.py [--csv data/dev_requests.csv] [--no-cv]
[--train-csv FILE --test-csv FILE]`.

Prints, for each run, accuracy, macro-F1, training seconds (in process), latency of single
`predict` calls after warm-up (mean, p95), model size; then the peak RSS of the whole
`doorstep routing train` CLI process (Django start-up included) on the same training rows,
which is how the budget is measured. Never evaluates on training rows. Note the load average
printed first: on a shared machine every time is inflated by other work.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from doorstep.catalog.seed_data import ITEMS  # noqa: E402
from doorstep.routing.engine import Router, catalogue_examples, evaluate  # noqa: E402

Row = dict[str, str]


def run(train: list[Row], test: list[Row], name: str, *, catalogue: bool) -> dict[str, float]:
    extra = catalogue_examples(ITEMS) if catalogue else []
    started = time.perf_counter()
    router = Router.train([r["text"] for r in train], [r["label"] for r in train], extra=extra)
    seconds = time.perf_counter() - started
    report = evaluate(router, [r["text"] for r in test], [r["label"] for r in test])
    router.predict("预热")  # caches are warm in a running service
    latencies = []
    for row in test[:500]:
        t0 = time.perf_counter()
        router.predict(row["text"])
        latencies.append((time.perf_counter() - t0) * 1000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "router.joblib"
        router.save(path)
        size_kb = os.path.getsize(path) / 1024
    result = {
        "accuracy": report["accuracy"],
        "macro_f1": report["macro_f1"],
        "train_s": round(seconds, 2),
        "latency_mean_ms": round(statistics.mean(latencies), 3),
        "latency_p95_ms": round(float(np.percentile(latencies, 95)), 3),
        "model_kb": round(size_kb, 1),
    }
    print(name, " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    return result


def cli_peak(train: list[Row], name: str) -> None:
    """Train through the CLI in a child process; print its wall time and peak RSS."""
    doorstep = Path(sys.executable).parent / "doorstep"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "train.csv"
        with data.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "label"])
            writer.writerows((r["text"], r["label"]) for r in train)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [str(doorstep), "routing", "train", "--csv", str(data), "--model", f"{tmp}/m.joblib"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        f"{name} cli_train_wall_s={wall:.2f} cli_train_cpu_s={cpu:.2f} "
        f"cli_peak_rss_mb={after.ru_maxrss / 1024:.0f}",
        flush=True,
    )


def read(path: str) -> list[Row]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=str(ROOT / "data" / "dev_requests.csv"))
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--train-csv", help="extra pair: train on this CSV (text,label) …")
    parser.add_argument("--test-csv", help="… and evaluate on this one")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs")
    rows = read(args.csv)
    print(f"{args.csv}: {len(rows)} rows, {len({r['label'] for r in rows})} labels")
    train = [r for r in rows if r["split"] == "train"]
    run(train, [r for r in rows if r["split"] == "test"], "fixed-split", catalogue=True)
    cli_peak(train, "fixed-split")
    if args.train_csv and args.test_csv:
        pair_train, pair_test = read(args.train_csv), read(args.test_csv)
        print(f"pair: {len(pair_train)} train rows, {len(pair_test)} test rows")
        run(pair_train, pair_test, "pair", catalogue=False)
        cli_peak(pair_train, "pair")
    if not args.no_cv:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        labels = [r["label"] for r in rows]
        results = []
        for i, (fit, held) in enumerate(folds.split(np.zeros(len(rows)), labels), start=1):
            results.append(
                run([rows[j] for j in fit], [rows[j] for j in held], f"cv-fold-{i}", catalogue=True)
            )
        for key in ("accuracy", "macro_f1", "train_s", "latency_mean_ms", "latency_p95_ms"):
            values = [r[key] for r in results]
            print(f"cv {key}: mean={statistics.mean(values):.4f} sd={statistics.stdev(values):.4f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bench process peak_rss_mb={peak:.0f}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
