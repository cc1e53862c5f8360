"""Benchmark the router on the dev set: fixed split and 5-fold CV (never on training rows).

Run: `/tmp/probe/bin/python bench/routing.py [--csv data/dev_requests.csv] [--no-cv]`
Prints accuracy, macro-F1, training seconds, latency per prediction (mean, p95) and model size.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
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


def run(train: list[dict[str, str]], test: list[dict[str, str]], name: str) -> dict[str, float]:
    extra = catalogue_examples(ITEMS)
    started = time.perf_counter()
    router = Router.train([r["text"] for r in train], [r["label"] for r in train], extra=extra)
    seconds = time.perf_counter() - started
    report = evaluate(router, [r["text"] for r in test], [r["label"] for r in test])
    router.predict("预热")  # jieba and caches are warm in a running service
    latencies = []
    for row in test[:300]:
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
        "latency_mean_ms": round(statistics.mean(latencies), 2),
        "latency_p95_ms": round(float(np.percentile(latencies, 95)), 2),
        "model_kb": round(size_kb, 1),
    }
    print(name, " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=str(ROOT / "data" / "dev_requests.csv"))
    parser.add_argument("--no-cv", action="store_true")
    args = parser.parse_args()
    with open(args.csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(f"{len(rows)} rows, {len({r['label'] for r in rows})} labels")
    run(
        [r for r in rows if r["split"] == "train"],
        [r for r in rows if r["split"] == "test"],
        "fixed-split",
    )
    if args.no_cv:
        return
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    labels = [r["label"] for r in rows]
    results = []
    for i, (fit, held) in enumerate(folds.split(np.zeros(len(rows)), labels), start=1):
        results.append(run([rows[j] for j in fit], [rows[j] for j in held], f"cv-fold-{i}"))
    for key in ("accuracy", "macro_f1", "train_s", "latency_mean_ms", "latency_p95_ms"):
        values = [r[key] for r in results]
        print(f"cv {key}: mean={statistics.mean(values):.4f} sd={statistics.stdev(values):.4f}")


if __name__ == "__main__":
    main()
