"""The case list as a spreadsheet (事项台账): the same rows the page filters, phones masked.

100,000 rows go through here (issue #10), so a row costs one bare `Case` and nothing else: the
query reads only the columns' fields (`only`, no joins), and the labels a row shows - choices,
community, service item, owner - come from maps built once per export (one query each, however
many rows), not from related objects or a translation call per cell.
"""

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from doorstep.catalog.models import ServiceItem
from doorstep.core.exports import Column, export_queryset
from doorstep.core.keyset import NEWEST_FIRST, Ordering
from doorstep.places.models import Community, StaffProfile

from .choices import Channel, Status
from .models import Case

# What the columns read; anything else stays in the database.
FIELDS = (
    "tracking_code",
    "created_at",
    "community",
    "channel",
    "item",
    "description",
    "contact_name",
    "contact_phone_encrypted",
    "status",
    "due_date",
    "resolved_at",
    "owner",
    "settled_on_spot",
)


# Each label map's one query: id → name.
SOURCES: dict[str, Callable[[], Iterable[tuple[int, str]]]] = {
    "community": lambda: Community.objects.values_list("pk", "name"),
    "item": lambda: ServiceItem.objects.values_list("pk", "name"),
    "owner": lambda: StaffProfile.objects.values_list("user_id", "display_name"),
}


class Names:
    """Community, item and owner names by id, each map read in one query on first use."""

    def __init__(self) -> None:
        self._maps: dict[str, dict[int, str]] = {}

    def _map(self, key: str) -> dict[int, str]:
        if key not in self._maps:
            self._maps[key] = dict(SOURCES[key]())
        return self._maps[key]

    def read(self, key: str) -> Callable[[Case], str]:
        attr = f"{key}_id"

        def value(case: Case) -> str:
            pk = getattr(case, attr)
            return self._map(key).get(pk, "") if pk is not None else ""

        return value


def _labels(choices: Iterable[tuple[str, object]], attr: str) -> Callable[[Case], str]:
    """`get_<attr>_display` without its per-call dict and translation: labels forced once."""
    labels = {value: str(label) for value, label in choices}

    def value(case: Case) -> str:
        raw = getattr(case, attr)
        return labels.get(raw, raw)

    return value


def case_columns() -> list[Column[Case]]:
    names = Names()
    yes, no = _("是"), _("否")
    return [
        Column(_("查询码"), lambda c: c.tracking_code),
        Column(_("受理时间"), lambda c: c.created_at),
        Column(_("社区"), names.read("community")),
        Column(_("受理渠道"), _labels(Channel.choices, "channel")),
        Column(_("服务事项"), names.read("item")),
        Column(_("居民诉求"), lambda c: c.description),
        Column(_("联系人"), lambda c: c.contact_name),
        Column(
            _("联系电话"),
            lambda c: c.contact_phone_masked if c.contact_phone_encrypted else "",
        ),
        Column(_("状态"), _labels(Status.choices, "status")),
        Column(_("承诺办结日"), lambda c: c.due_date),
        Column(_("办结时间"), lambda c: c.resolved_at),
        Column(_("当前办理人"), names.read("owner")),
        Column(_("当场办结"), lambda c: yes if c.settled_on_spot else no),
    ]


def cases_xlsx(
    request: HttpRequest, cases: QuerySet[Case], name: str, ordering: Ordering = NEWEST_FIRST
) -> HttpResponseBase:
    # The keyset key is read with the rows; an annotated key (我在办's `due_key`) is not a field.
    key = [] if ordering.field in cases.query.annotations else [ordering.field]
    qs = cases.select_related(None).prefetch_related(None).only(*FIELDS, *key)
    return export_queryset(request, qs, case_columns(), name, ordering=ordering)
