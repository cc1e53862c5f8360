"""The routing engine: normalisation, prediction shape, persistence, accuracy floor."""

from __future__ import annotations

import os
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from doorstep.routing import engine
from doorstep.routing.engine import IncompatibleModelError, Router, evaluate, normalise
from doorstep.routing.ngrams import NgramTfidf, char_symbols, pack, unpack
from doorstep.routing.tests.conftest import dev_rows

SMALL_TEXTS = [
    "楼下路灯坏了",
    "路灯不亮晚上很黑",
    "小区门口路灯一闪一闪",
    "要开居住证明办医保",
    "银行要居住证明",
    "开个居住证明",
    "下水道堵了",
    "厨房下水道堵塞反水",
    "马桶堵了物业不管",
]
SMALL_LABELS = ["light"] * 3 + ["cert"] * 3 + ["drain"] * 3


def test_normalise_converts_traditional_to_simplified() -> None:
    assert normalise("樓下路燈壞了") == "楼下路灯坏了"


def test_normalise_turns_full_width_into_half_width_and_lower_case() -> None:
    assert normalise("ＡＢＣ，ｔｅｓｔ") == "abc,test"


def test_normalise_strips_phone_id_url_and_collapses_digits() -> None:
    text = "电话13812345678 身份证11010519491231002X 见https://a.cn/x 住3栋1204室"
    assert normalise(text) == "电话 身份证 见 住0栋0室"


def test_normalise_drops_wechat_emoji_codes_and_extra_space() -> None:
    assert normalise("[抱拳]  你好\n\n谢谢[玫瑰]") == "你好 谢谢"


def test_normalise_truncates_very_long_text_keeping_head_and_tail() -> None:
    text = "头" * 3000 + "尾" * 3000
    result = normalise(text)
    assert len(result) <= engine.MAX_CHARS + 1
    assert result.startswith("头") and result.endswith("尾")


def test_normalise_of_empty_text_is_empty() -> None:
    assert normalise("") == ""


def test_predict_returns_three_sorted_suggestions_with_evidence(dev_router: Router) -> None:
    suggestions = dev_router.predict("我家楼下的路灯坏了好几天了")
    assert len(suggestions) == 3
    confidences = [s.confidence for s in suggestions]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 <= sum(confidences) <= 1.0001
    assert suggestions[0].label == "MGMT-STREET-LIGHT"
    assert suggestions[0].evidence
    assert any("路灯" in word for word in suggestions[0].evidence)


def test_predict_handles_traditional_and_noisy_text(dev_router: Router) -> None:
    top = dev_router.predict("在嗎？麻煩問下，我要開個居住證明辦醫保用，電話13912345678")[0]
    assert top.label == "GOV-RESIDENCE-CERT"


def test_predict_handles_empty_and_very_long_text(dev_router: Router) -> None:
    assert len(dev_router.predict("")) == 3
    assert len(dev_router.predict("下水道堵了" * 2000)) == 3


def test_train_rejects_a_single_label() -> None:
    with pytest.raises(ValueError):
        Router.train(["a", "b"], ["x", "x"])


def test_train_survives_a_label_with_one_example() -> None:
    router = Router.train(SMALL_TEXTS + ["燃气漏气"], SMALL_LABELS + ["gas"])
    assert "gas" in router.labels
    assert router.predict("路灯坏了")[0].label == "light"


def test_train_ignores_extra_rows_with_unknown_labels() -> None:
    router = Router.train(SMALL_TEXTS, SMALL_LABELS, extra=[("电梯坏了", "lift")])
    assert router.labels == ["cert", "drain", "light"]


def test_metadata_records_version_labels_and_timing() -> None:
    router = Router.train(SMALL_TEXTS, SMALL_LABELS)
    meta = router.metadata
    assert meta["format_version"] == engine.FORMAT_VERSION
    assert meta["n_samples"] == len(SMALL_TEXTS)
    assert meta["labels"] == ["cert", "drain", "light"]
    assert meta["training_seconds"] >= 0 and "scikit-learn" in meta["versions"]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    router = Router.train(SMALL_TEXTS, SMALL_LABELS)
    path = tmp_path / "model.joblib"
    router.save(path)
    loaded = Router.load(path)
    assert loaded.predict("路灯不亮") == router.predict("路灯不亮")
    assert loaded.metadata == router.metadata


def test_save_writes_a_temp_file_then_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    router = Router.train(SMALL_TEXTS, SMALL_LABELS)
    path = tmp_path / "model.joblib"
    path.write_text("old")
    calls: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        calls.append((str(src), str(dst)))
        assert Path(src).parent == tmp_path and Path(src).exists()
        assert path.read_text() == "old"  # the target is untouched until the replace
        real_replace(src, dst)

    monkeypatch.setattr(engine.os, "replace", spy)
    router.save(path)
    assert calls and calls[0][1] == str(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.joblib"]


def test_failed_save_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    router = Router.train(SMALL_TEXTS, SMALL_LABELS)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(engine.joblib, "dump", boom)
    with pytest.raises(OSError):
        router.save(tmp_path / "model.joblib")
    assert list(tmp_path.iterdir()) == []


def test_load_rejects_another_format_version(tmp_path: Path) -> None:
    router = Router.train(SMALL_TEXTS, SMALL_LABELS)
    path = tmp_path / "model.joblib"
    router.save(path)
    payload = joblib.load(path)
    payload["format_version"] = engine.FORMAT_VERSION + 1
    joblib.dump(payload, path)
    with pytest.raises(IncompatibleModelError):
        Router.load(path)


def test_load_rejects_a_file_that_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "notes.joblib"
    path.write_text("这不是模型")
    with pytest.raises(IncompatibleModelError):
        Router.load(path)


def test_training_is_deterministic() -> None:
    first = Router.train(SMALL_TEXTS, SMALL_LABELS)
    second = Router.train(SMALL_TEXTS, SMALL_LABELS)
    assert (first.weights == second.weights).all()


def test_evaluate_reports_metrics_and_confusion() -> None:
    router = Router.train(SMALL_TEXTS, SMALL_LABELS)
    report = evaluate(router, ["路灯坏了", "下水道堵了"], ["light", "drain"])
    assert set(report) >= {"accuracy", "macro_f1", "per_label", "confusion"}
    assert set(report["per_label"]["light"]) == {"precision", "recall", "f1", "support"}
    assert report["confusion"]["labels"] == sorted(report["confusion"]["labels"])


def test_dev_fixed_split_accuracy_floor(dev_router: Router) -> None:
    """Measured 0.70 accuracy / 0.65 macro-F1 (test rows use phrasings unseen in training)."""
    rows = dev_rows("test")
    report = evaluate(dev_router, [r["text"] for r in rows], [r["label"] for r in rows])
    assert report["accuracy"] >= 0.66
    assert report["macro_f1"] >= 0.61


def test_ngram_tfidf_matches_sklearn_char_tfidf() -> None:
    docs = [normalise(r["text"]) for r in dev_rows("train")[:300]]
    ours = NgramTfidf(char_symbols, (1, 3), min_df=2).fit_transform(docs)
    theirs = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, lowercase=False
    ).fit_transform(docs)
    assert ours.shape == theirs.shape
    for i in (0, 7, 123):  # same values per row (column order differs: codes vs strings)
        assert np.allclose(np.sort(ours[i].data), np.sort(theirs[i].data))


def test_ngram_transform_one_equals_the_batch_row() -> None:
    docs = ["楼下路灯坏了好几天", "下水道堵了反水", "路灯不亮"]
    vectorizer = NgramTfidf(char_symbols, (1, 4))
    matrix = vectorizer.fit_transform(docs)
    indices, values = vectorizer.transform_one("路灯坏了，下水道也堵了")
    row = vectorizer.transform(["路灯坏了，下水道也堵了"])
    assert list(indices) == list(row.indices) and np.allclose(values, row.data)
    assert matrix.shape[0] == 3 and abs(float(values @ values) - 1.0) < 1e-9


def test_packed_ngrams_round_trip_and_four_grams_are_negative() -> None:
    codes = pack(char_symbols("路灯坏了"), 1, 4)
    assert sorted("".join(map(chr, unpack(int(c)))) for c in codes if c > 0) == sorted(
        ["路", "灯", "坏", "了", "路灯", "灯坏", "坏了", "路灯坏", "灯坏了"]
    )
    assert sum(1 for c in codes if c < 0) == 1


def test_evidence_can_name_hashed_four_grams(dev_router: Router) -> None:
    evidence = dev_router.predict("我家楼下的路灯坏了好几天了")[0].evidence
    assert any(len(word) == 4 for word in evidence)
    assert all(word in "我家楼下的路灯坏了好几天了" for word in evidence)


def test_train_survives_a_fold_that_holds_one_label_only() -> None:
    router = Router.train(
        ["修水管", "下水道堵了", "开居住证明", "证明怎么开"], ["A", "A", "B", "B"]
    )
    assert router.predict("下水道")[0].label in {"A", "B"}
