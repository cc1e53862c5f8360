"""Finding cases by what the resident said (诉求检索), by phone or ID tail, or by tracking code.

Chinese has no spaces, and the words people search for are mostly two characters (路灯, 漏水,
噪音), which a trigram index cannot pick out of running text. So each case keeps
`search_terms`: the description's character pairs written as separate words
(" 路灯 灯坏 坏了 "). On PostgreSQL a pg_trgm GIN index on that column finds `LIKE '% 路灯 %'`
exactly (the spaces make every pair a whole word: its trigrams are distinctive); longer queries
ask for every pair, then the description itself confirms the exact phrase. SQLite has no such
index and runs the same LIKE over the table, which is fine for one community.
"""

import re

from django.db.models import Q

from doorstep.core import crypto
from doorstep.places.models import Resident

from .selectors import normalise_tracking_code

_SEPARATORS = re.compile(r"[\s\u3000,，。.!！?？;；:：、()（）\[\]【】\"'“”‘’<>《》%_\\]+")
MAX_QUERY = 50
# A phone or ID tail matches a handful of cases; past this many the search is not a look-up.
MAX_HASH_HITS = 5000


def _chunks(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text.lower()) if part]


def _pairs(chunk: str) -> list[str]:
    return [chunk[i : i + 2] for i in range(len(chunk) - 1)] if len(chunk) > 1 else [chunk]


def case_search_terms(description: str) -> str:
    """The description's distinct character pairs as words, padded with spaces at both ends."""
    seen = dict.fromkeys(p for chunk in _chunks(description) for p in _pairs(chunk))
    return f" {' '.join(seen)} " if seen else ""


def _is_id_tail(q: str) -> bool:
    return len(q) == 4 and q[:3].isdigit() and (q[3].isdigit() or q[3] in "xX")


def _matching(*conditions: Q) -> Q:
    """The ids of the cases matching any condition, looked up first through their own indexes:
    left inside the list's query, an OR of hashes makes PostgreSQL walk the whole date index."""
    from .models import Case

    queries = [Case.objects.filter(c).order_by().values_list("pk", flat=True) for c in conditions]
    union = queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0]
    return Q(pk__in=list(union[:MAX_HASH_HITS]))


def case_search(q: str) -> Q:
    """The condition for the list's search box: a tracking code, an 11-digit phone (the
    resident's or the contact's, by keyed hash), the last four of an ID number (by hash), or
    words from the description."""
    q = (q or "").strip()[:MAX_QUERY]
    code = normalise_tracking_code(q)
    if len(code) == 9 and code[4] == "-":
        return Q(tracking_code=code)
    if q.isdigit() and len(q) == 11:
        digest = crypto.lookup_hash(q)
        residents = Resident.objects.filter(phone_hash=digest).values("pk")
        return _matching(Q(contact_phone_hash=digest), Q(resident_id__in=residents))
    if _is_id_tail(q):
        residents = Resident.objects.filter(id_last4_hash=crypto.lookup_hash(q)).values("pk")
        return _matching(Q(resident_id__in=residents))
    condition = Q()
    chunks = _chunks(q)
    for chunk in chunks:
        if len(chunk) == 1:
            condition &= Q(description__contains=chunk)
            continue
        for pair in dict.fromkeys(_pairs(chunk)):
            condition &= Q(search_terms__contains=f" {pair} ")
        if len(chunk) > 2:
            condition &= Q(description__icontains=chunk)
    return condition if chunks else Q()
