"""Reads for the catalogue: search by Chinese words and pinyin initials."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from pypinyin import lazy_pinyin

from doorstep.places.models import Community
from doorstep.places.selectors import pinyin_key

from .choices import Scope
from .models import Category, Demand, ServiceItem

RANK_POOL = 200  # matches ranked per search; the page shows the best `limit` of them


def items_for(community: Community | None) -> QuerySet[ServiceItem]:
    """Active standard items plus the community's own local items (自选动作)."""
    qs = ServiceItem.objects.filter(active=True).select_related("category", "department")
    if community is None:
        return qs.filter(scope=Scope.STANDARD)
    return qs.filter(Q(scope=Scope.STANDARD) | Q(community=community))


def item_available_to(item: ServiceItem, community: Community) -> bool:
    return items_for(community).filter(pk=item.pk).exists()


def item_offered(community: Community, code: str) -> ServiceItem | None:
    """The item with this code if `items_for(community)` offers it: one query by the unique
    code, with no joins or ordering, then `item_offered_in` (the API intake's hot path)."""
    try:
        item = ServiceItem.objects.get(code=code)
    except ServiceItem.DoesNotExist:
        return None
    return item if item_offered_in(item, community) else None


def item_offered_in(item: ServiceItem, community: Community) -> bool:
    """`items_for`'s rule applied to an item already loaded (no query): the intake's hot path."""
    return item.active and (item.scope == Scope.STANDARD or item.community_id == community.pk)


def item_search_text(item: ServiceItem) -> str:
    """What the search matches: name, keywords, code, and the name's pinyin and initials."""
    return " ".join([item.name, item.keywords, item.code.lower(), pinyin_key(item.name)]).lower()


def _match_rank(name: str, term: str) -> int:
    """How well `term` fits the item's Chinese name, best first: the characters themselves,
    initials from the first word on (`ld` → 路灯…), initials from a later word start, full
    pinyin from the start, full pinyin from a later syllable; 5 = matched elsewhere."""
    if term in name.lower():
        return 0
    if not term.isascii():
        return 5
    syllables = [s.lower() for s in lazy_pinyin(name)]
    initials = "".join(s[:1] for s in syllables)
    if initials.startswith(term):
        return 1
    if term in initials:
        return 2
    full = "".join(syllables)
    if full.startswith(term):
        return 3
    starts = [len("".join(syllables[:i])) for i in range(len(syllables))]
    if any(full.startswith(term, at) for at in starts):
        return 4
    return 5


def item_search(query: str, community: Community | None, limit: int = 8) -> list[ServiceItem]:
    """Every whitespace-separated term must match. Ranked by how the first term fits the
    Chinese name (`_match_rank`), then shorter names, then code."""
    terms = [t for t in (query or "").lower().split() if t]
    qs = items_for(community)
    if not terms:
        return []
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    # A pool to rank in Python, shortest names first (the rank's tie-break): a term as short
    # as one pinyin letter can match most of the catalogue, and the pool must not be arbitrary.
    items = list(qs.order_by(Length("name"), "code")[:RANK_POOL])
    first = terms[0]
    items.sort(key=lambda i: (_match_rank(i.name, first), len(i.name), i.code))
    return items[:limit]


def categories_with_items(community: Community | None) -> list[tuple[Category, list[ServiceItem]]]:
    items = list(items_for(community).order_by("category__order", "name"))
    grouped: dict[int, list[ServiceItem]] = {}
    for item in items:
        grouped.setdefault(item.category_id, []).append(item)
    return [(c, grouped.get(c.pk, [])) for c in Category.objects.all()]


def demand_counts(communities: QuerySet[Community], limit: int = 20) -> list[dict[str, Any]]:
    """需求清单: unmatched requests grouped by topic, most asked first."""
    rows: Any = (
        Demand.objects.filter(community__in=communities)
        .values("topic")
        .annotate(n=Count("pk"))
        .order_by("-n")[:limit]
    )
    return list(rows)


def item_code_next(scope: str, community_id: int | None) -> str:
    """The next free code: `LOCAL-<community>-001…` for a community's own items (自选动作),
    `STD-0001…` for standard ones — one above the highest taken, never a count (a deleted item
    would hand its successor a code still in use). The caller holds the lock (`item_save`)."""
    prefix, width = (f"LOCAL-{community_id}-", 3) if scope == Scope.LOCAL else ("STD-", 4)
    taken = ServiceItem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"
