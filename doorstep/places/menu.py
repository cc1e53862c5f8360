"""The staff top navigation (主导航): one definition of every entry, its group and who sees it.

The places floor must not import the area apps above it, so entries name their page by URL
name and are reversed here; an area whose URLs are not installed simply drops out of the menu.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doorstep.places.access import (
    ALL_ROLES,
    BOOKING_ROLES,
    COMMUNITY_ROLES,
    DISTRICT_ONLY,
    HOTLINE_ROLES,
    LEADER_ROLES,
    NOT_DEPARTMENT,
    UPPER_AREA,
)


@dataclass(frozen=True)
class Entry:
    """One link: a stable key (for tests), its label, URL name and the roles that see it."""

    key: str
    label: Promise
    url_name: str
    roles: frozenset[str]
    accesskey: str = ""


@dataclass(frozen=True)
class Group:
    """A labelled disclosure menu (下拉菜单) holding less frequent entries."""

    key: str
    label: Promise
    entries: tuple[Entry, ...]


# Frequent desk items stay on the bar; the rest fold into a few groups (issue #14/#15).
MENU: tuple[Entry | Group, ...] = (
    Entry("desk", _("工作台"), "desk", ALL_ROLES),
    # Department staff were shown this link before but the page refuses them (403).
    Entry("intake", _("登记受理"), "intake", NOT_DEPARTMENT, accesskey="n"),
    Entry("cases", _("事项"), "case_list", ALL_ROLES),
    Entry("catalog", _("服务清单"), "catalog", ALL_ROLES),
    Group(
        "services",
        _("社区服务"),
        (
            Entry("field", _("走出去"), "field:grid", COMMUNITY_ROLES),
            Entry("field_coverage", _("走出去"), "field:coverage", UPPER_AREA),
            Entry("residents", _("居民台账"), "resident_list", NOT_DEPARTMENT),
            Entry("volunteers", _("志愿服务"), "volunteers:desk", NOT_DEPARTMENT),
            Entry("bookings", _("场地预约"), "bookings:desk", BOOKING_ROLES),
            Entry("programs", _("民生项目"), "programmes:index", NOT_DEPARTMENT),
            Entry("participation", _("居民参与"), "participation:index", NOT_DEPARTMENT),
            Entry("hotline", _("12345工单"), "hotline", HOTLINE_ROLES),
        ),
    ),
    Group(
        "data",
        _("数据与报送"),
        (
            Entry("overview", _("社区概览"), "community_overview", LEADER_ROLES),
            Entry("dashboard", _("数据看板"), "dashboard", LEADER_ROLES),
            Entry("batch", _("周五报送"), "batch", LEADER_ROLES),
            Entry("exports", _("我的导出"), "exports", ALL_ROLES),
        ),
    ),
    Group(
        "team",
        _("队伍与设置"),
        (
            Entry("workforce", _("队伍与柜台"), "workforce:index", ALL_ROLES),
            Entry("workdays", _("工作日历"), "workdays:years", DISTRICT_ONLY),
            Entry("routing", _("分派模型"), "routing_admin", DISTRICT_ONLY),
            Entry("api_keys", _("接口密钥"), "api_keys", DISTRICT_ONLY),
        ),
    ),
)


@dataclass
class Link:
    key: str
    label: Promise
    url: str
    accesskey: str = ""
    current: bool = False


@dataclass
class Item:
    """A rendered top-level item: a plain link, or a group with its visible links."""

    key: str
    label: Promise
    link: Link | None = None
    links: list[Link] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.all_links())

    def all_links(self) -> list[Link]:
        return [self.link] if self.link else self.links


def _link(entry: Entry, role: str) -> Link | None:
    if role not in entry.roles:
        return None
    try:
        url = reverse(entry.url_name)
    except NoReverseMatch:
        return None
    return Link(entry.key, entry.label, url, entry.accesskey)


def _mark_current(items: list[Item], path: str) -> None:
    """The link whose URL is this path, else the longest prefix of it (as shell.js does)."""
    best: Link | None = None
    score = 0
    for item in items:
        for link in item.all_links():
            if link.url == path:
                this = 10_000
            elif len(link.url) > 1 and path.startswith(link.url):
                this = len(link.url)
            else:
                continue
            if this > score:
                best, score = link, this
    if best is not None:
        best.current = True


def menu_for(role: str, path: str = "") -> list[Item]:
    """The navigation a staff member with ``role`` sees, the current page marked."""
    items: list[Item] = []
    for node in MENU:
        if isinstance(node, Entry):
            link = _link(node, role)
            if link is not None:
                items.append(Item(node.key, node.label, link=link))
            continue
        links = [lk for lk in (_link(e, role) for e in node.entries) if lk is not None]
        if links:
            items.append(Item(node.key, node.label, links=links))
    _mark_current(items, path)
    return items


def menu_keys(role: str) -> set[str]:
    """Every entry key a role sees (for tests and checks)."""
    return {link.key for item in menu_for(role) for link in item.all_links()}
