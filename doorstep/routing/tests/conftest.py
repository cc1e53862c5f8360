"""One router trained once per test session on the dev set's fixed training split."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from doorstep.catalog.seed_data import ITEMS
from doorstep.routing.engine import Router, catalogue_examples

DEV_CSV = Path(__file__).resolve().parents[3] / "data" / "dev_requests.csv"


def dev_rows(split: str) -> list[dict[str, str]]:
    with DEV_CSV.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["split"] == split]


@pytest.fixture(scope="session")
def dev_router() -> Router:
    rows = dev_rows("train")
    return Router.train(
        [r["text"] for r in rows], [r["label"] for r in rows], extra=catalogue_examples(ITEMS)
    )


@pytest.fixture(scope="session")
def dev_model_path(dev_router: Router, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("routing") / "router.joblib"
    dev_router.save(path)
    return path
