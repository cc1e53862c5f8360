"""A server worker's warm-up (预热) before it takes traffic.

A fresh Django process answers its first requests slowly: every view module is imported when
the URLconf is first resolved, every template is read and compiled on its first render, and
each language's catalogue is loaded on first use. On this project that was most of a desk
home's first request (2.4 s at 2 M cases, 168 ms of it SQL; docs/scale.md). `doorstep serve`
calls `warm_up()` in each worker as it loads the application, so the first worker to meet a
user has already paid it. Nothing here touches the database.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation


@dataclass(frozen=True)
class Warmed:
    views: int
    templates: int
    languages: int


def _count_views(patterns: list[URLPattern | URLResolver]) -> int:
    """Walk the URLconf: resolving each include imports its urls and views modules."""
    found = 0
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _count_views(pattern.url_patterns)
        else:
            found += 1
    return found


def _template_names() -> list[str]:
    """Every template of the project's own apps and template folders (not Django's admin)."""
    roots = [Path(d) for d in engines["django"].dirs]
    roots += sorted(Path(settings.BASE_DIR).glob("*/templates"))
    names: set[str] = set()
    for root in roots:
        found = root.rglob("*")
        names.update(str(p.relative_to(root)) for p in found if p.suffix in {".html", ".txt"})
    return sorted(names)


def _compile_templates() -> int:
    """Compile each template once into the cached loader (DEBUG off keeps them)."""
    engine = engines["django"]
    compiled = 0
    for name in _template_names():
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # a fragment meant for `include`
            continue
        compiled += 1
    return compiled


def _load_languages() -> int:
    """Load each interface language's catalogue (gettext reads and merges them on first use)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("家门口")
    return len(settings.LANGUAGES)


def warm_up() -> Warmed:
    return Warmed(
        views=_count_views(get_resolver().url_patterns),
        templates=_compile_templates(),
        languages=_load_languages(),
    )
