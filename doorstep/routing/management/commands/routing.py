"""`doorstep routing train|evaluate|predict`: train and check the request router from a CSV.

Messages are in Chinese because the people running these commands are community and street
staff; every failure raises CommandError so the exit status is non-zero.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from argparse import ArgumentParser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doorstep.catalog.seed_data import ITEMS
from doorstep.routing.engine import (
    IncompatibleModelError,
    Router,
    catalogue_examples,
    evaluate,
)


@dataclass
class Dataset:
    """Rows read from a CSV: usable texts and labels, and how many rows were skipped."""

    texts: list[str]
    labels: list[str]
    skipped: int


def read_dataset(path: Path, text_column: str, label_column: str) -> Dataset:
    """Read a UTF-8 (optionally BOM) CSV; skip rows whose text or label is empty.

    Raises CommandError with a message a worker can act on for every way the file is wrong.
    """
    if not path.is_file():
        raise CommandError(f"找不到文件：{path}")
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"文件 {path} 不是 UTF-8 编码（第 {exc.start} 字节出错）。"
            "请在 Excel 或 WPS 中另存为“CSV UTF-8”后重试。"
        ) from exc
    if not content.strip():
        raise CommandError(f"文件 {path} 是空的，没有表头也没有数据。")
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [c for c in (reader.fieldnames or []) if c is not None]
    for wanted in (text_column, label_column):
        if wanted not in columns:
            present = "、".join(columns) or "（无）"
            raise CommandError(f"文件 {path} 缺少列“{wanted}”。文件中的列有：{present}")
    texts: list[str] = []
    labels: list[str] = []
    skipped = 0
    for row in reader:
        text = (row.get(text_column) or "").strip()
        label = (row.get(label_column) or "").strip()
        if not text or not label:
            skipped += 1
            continue
        texts.append(text)
        labels.append(label)
    if not texts:
        raise CommandError(f"文件 {path} 没有可用的数据行（文本或标签全为空）。")
    return Dataset(texts, labels, skipped)


def load_router(path: Path) -> Router:
    if not path.is_file():
        raise CommandError(f"找不到模型文件：{path}。请先运行 `doorstep routing train`。")
    try:
        return Router.load(path)
    except IncompatibleModelError as exc:
        raise CommandError(
            f"模型文件 {path} 无法使用：不是本程序的模型文件，或由不兼容的版本生成。"
            f"请重新训练。（{exc}）"
        ) from exc


class Command(BaseCommand):
    help = "训练、评估和使用事项分派模型（routing）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("train", "从 CSV 训练模型"), ("evaluate", "在 CSV 上评估模型")):
            action = sub.add_parser(name, help=text)
            action.add_argument("--csv", required=True, type=Path, help="UTF-8 CSV 文件")
            action.add_argument("--text-column", default="text")
            action.add_argument("--label-column", default="label")
            action.add_argument("--model", required=True, type=Path, help="模型文件路径")
        predict = sub.add_parser("predict", help="对一段文字给出前三个建议")
        predict.add_argument(
            "--model",
            type=Path,
            default=None,
            help="模型文件路径（默认：在用的模型 ROUTING_MODEL_PATH）",
        )
        predict.add_argument("text", nargs="+", help="居民的诉求文字")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "train":
            self.train(options)
        elif action == "evaluate":
            self.evaluate(options)
        else:
            self.predict(options)

    def _warn_skipped(self, data: Dataset) -> None:
        if data.skipped:
            self.stderr.write(f"警告：跳过 {data.skipped} 行（文本或标签为空）。")

    def train(self, options: dict[str, Any]) -> None:
        data = read_dataset(options["csv"], options["text_column"], options["label_column"])
        self._warn_skipped(data)
        distinct = set(data.labels)
        if len(distinct) < 2:
            raise CommandError(f"至少需要两个不同的标签才能训练，文件中只有：{'、'.join(distinct)}")
        # Catalogue rows help only when the labels are catalogue item codes.
        codes = {str(item["code"]) for item in ITEMS}
        extra = catalogue_examples(ITEMS) if len(distinct & codes) * 2 >= len(distinct) else []
        started = time.perf_counter()
        try:
            router = Router.train(data.texts, data.labels, extra=extra)
        except ValueError as exc:
            raise CommandError(f"训练失败：{exc}") from exc
        router.save(options["model"])
        seconds = time.perf_counter() - started
        summary = {
            "rows": len(data.texts),
            "skipped": data.skipped,
            "catalogue_rows": router.metadata.get("n_extra", 0),
            "labels": len(router.labels),
            "seconds": round(seconds, 2),
            "model": str(options["model"]),
        }
        self.stdout.write(
            f"训练完成：{summary['rows']} 行，{summary['labels']} 个标签，"
            f"用时 {summary['seconds']} 秒，模型已保存到 {summary['model']}"
        )
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def evaluate(self, options: dict[str, Any]) -> None:
        router = load_router(options["model"])
        data = read_dataset(options["csv"], options["text_column"], options["label_column"])
        self._warn_skipped(data)
        report = evaluate(router, data.texts, data.labels)
        self.stdout.write(
            f"评估 {report['n']} 行：准确率 {report['accuracy']:.4f}，"
            f"宏平均 F1 {report['macro_f1']:.4f}"
        )
        self.stdout.write(json.dumps(report, ensure_ascii=False))

    def predict(self, options: dict[str, Any]) -> None:
        from django.conf import settings

        router = load_router(options["model"] or Path(settings.ROUTING_MODEL_PATH))
        text = " ".join(options["text"]).strip()
        if not text:
            raise CommandError("请提供要分派的文字。")
        suggestions = router.predict(text, k=3)
        for rank, s in enumerate(suggestions, start=1):
            evidence = "、".join(s.evidence) or "—"
            self.stdout.write(f"{rank}. {s.label}  置信度 {s.confidence:.2f}  依据：{evidence}")
        self.stdout.write(
            json.dumps(
                [
                    {"label": s.label, "confidence": s.confidence, "evidence": s.evidence}
                    for s in suggestions
                ],
                ensure_ascii=False,
            )
        )
