"""The `routing` management command: happy paths and every error a worker can make."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from doorstep.routing import engine

ROWS = [
    ("楼下路灯坏了", "light"),
    ("路灯不亮晚上很黑", "light"),
    ("小区门口路灯一闪一闪", "light"),
    ("要开居住证明办医保", "cert"),
    ("银行要居住证明", "cert"),
    ('开个居住证明,"急"\n第二行', "cert"),
    ("下水道堵了", "drain"),
    ("厨房下水道堵塞反水", "drain"),
    ("马桶堵了物业不管", "drain"),
]


def write_csv(path: Path, rows: list[tuple[str, str]], *, header: str = "text,label") -> Path:
    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    lines = [header] + [f"{quote(t)},{quote(label)}" for t, label in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("routing", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_train_then_evaluate_prints_json_last(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", ROWS)
    model = tmp_path / "m.joblib"
    out, _ = run("train", "--csv", str(data), "--model", str(model))
    assert "9 行" in out and model.exists()
    out, _ = run("evaluate", "--csv", str(data), "--model", str(model))
    report = json.loads(out.strip().splitlines()[-1])
    assert {"accuracy", "macro_f1", "per_label", "confusion"} <= set(report)


def test_train_accepts_bom_extra_columns_and_custom_names(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    body = "id,内容,部门,备注\n" + "".join(
        f'{i},"{t}",{lab},x\n' for i, (t, lab) in enumerate(ROWS)
    )
    path.write_bytes("\ufeff".encode() + body.encode("utf-8"))
    out, _ = run(
        "train",
        "--csv",
        str(path),
        "--text-column",
        "内容",
        "--label-column",
        "部门",
        "--model",
        str(tmp_path / "m.joblib"),
    )
    assert "训练完成" in out


def test_train_skips_empty_text_with_a_warning(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", ROWS + [("", "light"), ("  ", "cert")])
    _, err = run("train", "--csv", str(data), "--model", str(tmp_path / "m.joblib"))
    assert "跳过 2 行" in err


def test_train_survives_a_label_with_one_example(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", ROWS + [("燃气漏气", "gas")])
    out, _ = run("train", "--csv", str(data), "--model", str(tmp_path / "m.joblib"))
    assert "4 个标签" in out


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        run("train", "--csv", str(tmp_path / "nope.csv"), "--model", str(tmp_path / "m"))


def test_missing_column_names_the_columns_present(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", ROWS, header="内容,label")
    with pytest.raises(CommandError, match="缺少列“text”.*内容、label"):
        run("train", "--csv", str(data), "--model", str(tmp_path / "m"))


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="空"):
        run("train", "--csv", str(data), "--model", str(tmp_path / "m"))


def test_header_only_file_is_an_error(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", [])
    with pytest.raises(CommandError, match="没有可用的数据行"):
        run("train", "--csv", str(data), "--model", str(tmp_path / "m"))


def test_fewer_than_two_labels_is_an_error(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", [(t, "light") for t, _ in ROWS])
    with pytest.raises(CommandError, match="至少需要两个不同的标签"):
        run("train", "--csv", str(data), "--model", str(tmp_path / "m"))


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_bytes("text,label\n路灯坏了,light\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        run("train", "--csv", str(data), "--model", str(tmp_path / "m"))


def test_model_of_another_version_is_an_error(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "d.csv", ROWS)
    model = tmp_path / "m.joblib"
    run("train", "--csv", str(data), "--model", str(model))
    payload = engine.joblib.load(model)
    payload["format_version"] = 999
    engine.joblib.dump(payload, model)
    with pytest.raises(CommandError, match="不兼容"):
        run("evaluate", "--csv", str(data), "--model", str(model))


def test_file_that_is_not_a_model_is_an_error(tmp_path: Path) -> None:
    model = tmp_path / "m.joblib"
    model.write_text("hello")
    with pytest.raises(CommandError, match="不兼容|不是本程序"):
        run("predict", "--model", str(model), "路灯坏了")


def test_missing_model_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到模型文件"):
        run("predict", "--model", str(tmp_path / "none.joblib"), "路灯坏了")


def test_predict_prints_top_three_and_json(dev_model_path: Path) -> None:
    out, _ = run("predict", "--model", str(dev_model_path), "我家楼下的路灯坏了好几天了")
    lines = out.strip().splitlines()
    assert lines[0].startswith("1. MGMT-STREET-LIGHT")
    result = json.loads(lines[-1])
    assert len(result) == 3 and result[0]["evidence"]


def test_predict_defaults_to_the_live_model(dev_model_path: Path, settings: Any) -> None:
    settings.ROUTING_MODEL_PATH = dev_model_path
    out, _ = run("predict", "我家楼下的路灯坏了好几天了")
    assert out.startswith("1. MGMT-STREET-LIGHT")


def test_predict_without_a_live_model_says_how_to_train(tmp_path: Path, settings: Any) -> None:
    settings.ROUTING_MODEL_PATH = tmp_path / "live.joblib"
    with pytest.raises(CommandError, match="找不到模型文件"):
        run("predict", "路灯坏了")
