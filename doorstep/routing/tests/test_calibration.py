"""Calibration on held-out phrasings: near-copies are held out together, so confidences on a
request in new words mean roughly what they say instead of reading 1.00 / 0.00."""

from __future__ import annotations

import numpy as np

from doorstep.routing.engine import Router, normalise, phrase_groups, phrase_holdout
from doorstep.routing.services import CONFIDENCE_THRESHOLD
from doorstep.routing.tests.conftest import dev_rows

COPIES = [
    ("在吗，楼下的路灯坏了好几天了", 0),
    ("你好，我是三号楼的，楼下的路灯坏了好几天了，麻烦了", 0),
    ("楼下的路灯坏了好几天了!!", 0),
    ("孩子上学要开居住证明怎么办", 1),
    ("急，孩子上学要开居住证明怎么办", 1),
    ("你好，麻烦了", 0),
    ("你好，麻烦了", 1),
]


def test_phrase_groups_join_near_copies_and_never_cross_labels() -> None:
    groups = phrase_groups([normalise(t) for t, _ in COPIES], [y for _, y in COPIES])
    assert groups[0] == groups[1] == groups[2]
    assert groups[3] == groups[4] != groups[0]
    # the greeting is shared by both labels, so it is no phrase: each row stands alone
    assert len({groups[5], groups[6], groups[0], groups[3]}) == 4


def test_phrase_groups_find_the_dev_sets_hand_written_cores() -> None:
    """The dev rows are ~4 hand-written cores per label in generated noise (data/README.md)."""
    rows = dev_rows("train")
    labels = sorted({r["label"] for r in rows})
    y = [labels.index(r["label"]) for r in rows]
    groups = phrase_groups([normalise(r["text"]) for r in rows], y)
    sizes = np.bincount(groups)
    assert len(sizes) < len(rows) / 3  # near-copies grouped: 1,496 rows, under 500 groups
    assert all(len({y[i] for i in np.flatnonzero(groups == g)}) == 1 for g in range(len(sizes)))


def test_phrase_holdout_keeps_each_phrasing_on_one_side() -> None:
    texts = [t for t, _ in COPIES[:5]] * 12
    labels = [("light", "cert")[y] for _, y in COPIES[:5]] * 12
    words = "春夏秋冬东南西北金木水火土山川日月星云风雨雪"
    texts += [f"想问问{a}{b}的事" for a in words for b in words[:3]]
    labels += ["other"] * (3 * len(words))
    train, test = phrase_holdout(texts, labels)
    assert test and not {normalise(texts[i]) for i in train} & {normalise(texts[i]) for i in test}
    assert 0.1 <= len(test) / len(texts) <= 0.45


def test_confidences_on_new_phrasing_are_spread_and_roughly_calibrated(
    dev_router: Router,
) -> None:
    """The dev router is the demo's training pool less one phrasing per label; its test rows
    are demo-like requests in those unseen phrasings. Measured: accuracy 0.67, mean top
    confidence 0.78 (still a little over-confident), every row strictly between 0.01 and
    0.99 (before: 35 % at 0.99 or above); 89 % at or above the threshold, right 73 % of the
    time against 21 % below it."""
    rows = dev_rows("test")
    top = [dev_router.predict(r["text"])[0] for r in rows]
    confidence = np.array([s.confidence for s in top])
    right = np.array([s.label == r["label"] for s, r in zip(top, rows, strict=True)])
    between = (confidence > 0.01) & (confidence < 0.99)
    assert between.mean() >= 0.9
    assert (confidence >= 0.99).mean() < 0.05
    assert abs(confidence.mean() - right.mean()) <= 0.15
    confident = confidence >= CONFIDENCE_THRESHOLD
    assert 0.6 <= confident.mean() < 1.0  # clear requests are still routed automatically
    assert right[confident].mean() > right[~confident].mean() + 0.2
