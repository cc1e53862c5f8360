"""Simplified → Traditional Chinese the way Doorstep wants it (繁體): OpenCC s2tw for the
characters plus the reviewed phrase list in locale/phrases-zh_Hant.tsv (docs/glossary.md).
Used for the zh_Hant message catalogue and for catalogue data without a reviewed translation."""

from functools import lru_cache
from pathlib import Path
from typing import Protocol

from django.conf import settings


class Converter(Protocol):
    """What Doorstep uses of an `opencc.OpenCC` (the package ships no types)."""

    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _converter() -> Converter:
    from opencc import OpenCC

    converter: Converter = OpenCC("s2tw")
    return converter


def phrase_file() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "phrases-zh_Hant.tsv"


@lru_cache(maxsize=1)
def phrases() -> list[tuple[str, str]]:
    """(s2tw form of the Simplified phrase, reviewed Traditional form), longest first."""
    rows = []
    for line in phrase_file().read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            simplified, traditional = line.split("\t")
            rows.append((_converter().convert(simplified), traditional.strip()))
    return sorted(rows, key=lambda row: -len(row[0]))


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    converted: str = _converter().convert(text)
    for machine, reviewed in phrases():
        converted = converted.replace(machine, reviewed)
    return converted
