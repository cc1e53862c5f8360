"""Staff pages speak English once a worker switches the language (issue 14, 英文界面).

The switch is Django's `/i18n/setlang/` (the form at the foot of every page), which remembers the
choice in the language cookie. Two checks per page: a few known labels appear in English and not
in Chinese, and no text node or label attribute is still exactly a Chinese msgid of the English
catalogue (data such as names of communities, items and staff is Chinese and allowed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from doorstep.catalog.models import Category, ServiceItem
from doorstep.conftest import World
from doorstep.places.models import Community, Compound, Department, StaffProfile, Street

HAN = re.compile(r"[\u4e00-\u9fff]")
LABEL_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """Text nodes and label attributes of a page, outside script and style."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts += [v.strip() for k, v in attrs if k in LABEL_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def chinese_msgids() -> set[str]:
    """Every Chinese source text in the English catalogue, translated or not."""
    from django.conf import settings

    po = (settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.po").read_text()
    ids = set()
    for quoted in re.findall(r'^msgid ((?:".*"\n)+)', po, re.M):
        ids.add("".join(json.loads(piece) for piece in quoted.split("\n") if piece))
    return {msgid for msgid in ids if HAN.search(msgid)}


def data_names() -> set[str]:
    """Chinese names that are data, not UI text."""
    names: set[str] = set()
    for model in (Community, Street, Department, Compound, Category, ServiceItem):
        names.update(model.objects.values_list("name", flat=True))
    names.update(StaffProfile.objects.values_list("display_name", flat=True))
    return names


def english_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/desk/"})
    assert response.status_code == 302
    return client


PageUrl = Callable[[World], str]
PAGES: list[tuple[str, str, PageUrl, list[tuple[str, str]]]] = [
    (
        "desk",
        "desk_a",
        lambda w: reverse("desk"),
        [("今日受理", "Received today"), ("登记受理", "New request"), ("已逾期", "Overdue")],
    ),
    (
        "case list",
        "desk_a",
        lambda w: reverse("case_list"),
        [("导出 Excel", "Export to Excel"), ("查询", "Search"), ("状态", "Status")],
    ),
    (
        "case detail",
        "desk_a",
        lambda w: reverse("case_detail", args=[w.intake().pk]),
        [("返回列表", "Back to the list"), ("居民诉求", "Resident's request")],
    ),
    (
        "dashboard",
        "secretary_a",
        lambda w: reverse("dashboard"),
        [("关键指标", "Key figures"), ("受理与办结趋势", "Received and resolved over time")],
    ),
    (
        "field grid",
        "grid_a",
        lambda w: reverse("field:grid"),
        [("重点关爱居民", "Residents needing care"), ("住户与上次走访", "Households and")],
    ),
    (
        "programmes",
        "desk_a",
        lambda w: reverse("programmes:index"),
        [("高龄补贴", "Elderly subsidy"), ("一元爱心基金", "One-yuan love fund")],
    ),
    (
        "participation",
        "secretary_a",
        lambda w: reverse("participation:index"),
        [("提出项目", "Propose project"), ("社区项目 · 三会", "Community projects")],
    ),
]


@pytest.mark.parametrize(
    ("user_attr", "url", "labels"),
    [page[1:] for page in PAGES],
    ids=[page[0] for page in PAGES],
)
def test_staff_page_ui_text_is_english(
    world: World, user_attr: str, url: PageUrl, labels: list[tuple[str, str]]
) -> None:
    client = english_client(getattr(world, user_attr))
    response = client.get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    texts = visible_texts(html)
    for chinese, english in labels:
        assert english in html
        assert chinese not in texts
    untranslated = set(texts) & (chinese_msgids() - data_names())
    assert not untranslated, f"Chinese UI text left on the English page: {sorted(untranslated)}"


def test_staff_page_stays_chinese_without_the_switch(world: World) -> None:
    client = Client()
    client.force_login(world.desk_a)
    texts = visible_texts(client.get(reverse("desk")).content.decode())
    assert "今日受理" in texts and "Received today" not in texts
