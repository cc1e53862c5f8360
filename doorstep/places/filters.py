"""The one filter definition of the resident register (居民台账), used by the page and its xlsx.

No free-text search here: finding one resident by name, phone or ID is the POST search at the
desk, so personal values never land in a URL. The register filters by community and by flags."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from doorstep.core.keyset import query_digest

from .models import Resident

ELDERLY_AGE = 80
FLAGS = {
    "lives_alone": _("独居"),
    "bedridden": _("卧床"),
    "disabled": _("残疾"),
    "subsistence_allowance": _("低保"),
    "low_income": _("低收入"),
    "elderly": _("80岁以上"),
}


def _born_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class ResidentFilter:
    """社区 + 标记. Unknown values are ignored; a community outside the viewer's area gives no
    rows (the queryset is already scoped)."""

    community_id: int | None = None
    flag: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> ResidentFilter:
        raw = (params.get("community") or "").strip()
        flag = params.get("flag") or ""
        return cls(
            community_id=int(raw) if raw.isdigit() and len(raw) < 18 else None,
            flag=flag if flag in FLAGS else "",
        )

    def query(self) -> dict[str, str]:
        params = {"community": str(self.community_id or ""), "flag": self.flag}
        return {k: v for k, v in params.items() if v}

    def digest(self, user_id: int | None) -> str:
        return query_digest("residents", user_id, self.community_id, self.flag)

    def apply(self, qs: QuerySet[Resident], today: date) -> QuerySet[Resident]:
        if self.community_id:
            qs = qs.filter(community_id=self.community_id)
        if self.flag == "elderly":
            qs = qs.filter(birth_date__lte=_born_before(today, ELDERLY_AGE))
        elif self.flag:
            qs = qs.filter(Q(**{self.flag: True}))
        return qs.select_related("community", "household__building__compound")
