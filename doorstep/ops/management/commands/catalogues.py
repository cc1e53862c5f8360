"""Regenerate every translation catalogue in one go (after merging branches):

    python -m doorstep.manage catalogues

1. `makemessages` for zh_Hant, en and ug (new msgids appear, translations already made are
   kept; a fuzzy guess stays marked fuzzy, which compilemessages skips);
2. zh_Hant is written from the Simplified msgid by OpenCC s2tw plus the reviewed phrase list
   in locale/phrases-zh_Hant.tsv (社区 → 社區, never 社群);
3. `compilemessages`. An en or ug msgid without a translation falls back to the Chinese text.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from doorstep.core.hant import to_traditional

LOCALES = ["zh_Hant", "en", "ug"]
# Header facts makemessages leaves as placeholders in a new catalogue.
HEADERS = {
    "zh_Hant": {"Language": "zh_Hant", "Plural-Forms": "nplurals=1; plural=0;"},
    "en": {"Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"},
    "ug": {"Language": "ug", "Plural-Forms": "nplurals=2; plural=(n != 1);"},
}
IGNORE = ["tests/*", "*/tests/*", "migrations/*", "*/migrations/*", "static/vendor/*"]


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_path(locale: str) -> Path:
    return locale_dir() / locale / "LC_MESSAGES" / "django.po"


def fix_headers(locale: str) -> None:
    import polib

    catalogue = polib.pofile(str(po_path(locale)))
    catalogue.metadata.update(HEADERS[locale])
    catalogue.save()


def fill_traditional(path: Path) -> int:
    import polib

    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: to_traditional(entry.msgid_plural)}
        else:
            entry.msgstr = to_traditional(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()
    return len(catalogue)


class Command(BaseCommand):
    help = "Regenerate and compile the zh_Hant, en and ug catalogues (one command)."

    def handle(self, *args: Any, **options: Any) -> None:
        here = Path.cwd()
        os.chdir(locale_dir().parent)  # makemessages works on the current directory
        try:
            call_command(
                "makemessages",
                locale=LOCALES,
                ignore_patterns=IGNORE,
                no_obsolete=True,
                no_location=True,
                verbosity=0,
            )
            for locale in LOCALES:
                fix_headers(locale)
            n = fill_traditional(po_path("zh_Hant"))
            call_command("compilemessages", locale=LOCALES, verbosity=0)
        finally:
            os.chdir(here)
        self.stdout.write(f"catalogues: {n} messages; zh_Hant converted, en/ug kept, compiled")
