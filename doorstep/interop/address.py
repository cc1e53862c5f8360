"""Fuzzy matching of Chinese addresses (地址匹配) to community, compound and building.

A 12345 order says "陕西省西安市碑林区胜利路街道五四大街７６号院３号楼２单元"; we want
五四大街76号院 and its 3号楼. Normalise both sides (full-width → half-width, drop the
province/city/district/street prefix, unify 号院/号楼/栋), then score each compound by how much
of its name (or address) the order's address contains, insisting that house numbers agree.
"""

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from doorstep.places.models import Building, Community, Compound

# A compound must score at least this to be taken without a person looking.
MATCH_THRESHOLD = 0.75
# Two compounds scoring within this of each other: ambiguous, ask a person.
AMBIGUITY_MARGIN = 0.05

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGITS |= {"八": 8, "九": 9}
_PREFIX = re.compile(
    r"^(?:.{2,8}?(?:省|自治区))?(?:.{2,8}?市)?(?:.{1,8}?(?<![小园社校厂])(?:区|县))?"
    r"(?:.{1,8}?(?:街道|街道办事处|镇|乡))?"
)
_BUILDING = re.compile(r"(\d+)(?:号楼|栋|幢|座|号|楼)")
_NUMBER = re.compile(r"\d+")
_NOISE = re.compile(r"[\s,，.。、:：;；()（）\[\]【】\"'“”‘’·\-－—_/]")


def chinese_numerals(text: str) -> str:
    """`三号楼` → `3号楼`, `十二栋` → `12栋` (small numbers only, as buildings and units use)."""

    def convert(match: re.Match[str]) -> str:
        s = match.group(0)
        if "十" in s:
            tens, _, ones = s.partition("十")
            return str(_CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0))
        return "".join(str(_CN_DIGITS[c]) for c in s)

    return re.sub(r"[零一二两三四五六七八九十]+(?=号|栋|幢|座|单元|楼|层|室)", convert, text)


def normalise(text: str, prefixes: Iterable[str] = ()) -> str:
    """Half-width, no spaces or punctuation, no administrative prefix, one spelling of 号院."""
    s = unicodedata.normalize("NFKC", text or "")
    s = _NOISE.sub("", s)
    for prefix in sorted((p for p in prefixes if p), key=len, reverse=True):
        s = s.replace(prefix, "")
    s = _PREFIX.sub("", s, count=1) or s
    s = chinese_numerals(s)
    return s.replace("号院", "号").replace("院落", "").replace("大院", "")


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def similarity(name: str, address: str) -> float:
    """How much of `name` appears in `address` (0–1): full containment scores 1; otherwise the
    share of the name's character pairs found, halved when a house number disagrees."""
    if not name or not address:
        return 0.0
    if name in address:
        return 1.0
    pairs = _bigrams(name)
    score = len(pairs & _bigrams(address)) / len(pairs)
    numbers = set(_NUMBER.findall(name))
    if numbers and not numbers <= set(_NUMBER.findall(address)):
        score *= 0.5
    return score


@dataclass(frozen=True)
class AddressMatch:
    community: Community | None
    compound: Compound | None
    building: Building | None
    score: float

    @property
    def found(self) -> bool:
        return self.community is not None


NO_MATCH = AddressMatch(None, None, None, 0.0)


def _admin_names(communities: list[Community]) -> set[str]:
    names: set[str] = set()
    for c in communities:
        street, district = c.street.name, c.street.district.name
        names |= {street, district}
    return names


def match_address(address: str, communities: Iterable[Community]) -> AddressMatch:
    """The best compound (and building) among these communities, or the community whose name
    the address carries, or nothing (then a person decides: 待人工分派)."""
    pool = list(communities)
    if not pool or not (address or "").strip():
        return NO_MATCH
    prefixes = _admin_names(pool)
    target = normalise(address, prefixes)
    scored: list[tuple[float, int, Compound, str]] = []
    compounds = Compound.objects.filter(community__in=pool).select_related("community")
    for compound in compounds:
        name = normalise(compound.name, prefixes)
        best, used = similarity(name, target), name
        if compound.address:
            addr = normalise(compound.address, prefixes)
            if similarity(addr, target) > best:
                best, used = similarity(addr, target), addr
        scored.append((best, len(used), compound, used))
    scored.sort(key=lambda row: (row[0], row[1]), reverse=True)
    if scored and scored[0][0] >= MATCH_THRESHOLD:
        score, length, compound, used = scored[0]
        rivals = [
            r
            for r in scored[1:]
            if r[0] >= score - AMBIGUITY_MARGIN
            and r[1] >= length
            and r[2].community_id != compound.community_id
        ]
        if not rivals:
            rest = target.replace(used, "", 1) if used in target else target
            return AddressMatch(
                compound.community, compound, _building(compound, rest), round(score, 3)
            )
    for community in pool:
        name = normalise(community.name, prefixes)
        short = name.removesuffix("社区").removesuffix("村")
        if name in target or (len(short) >= 2 and short + "社区" in target):
            return AddressMatch(community, None, None, 0.8)
    return NO_MATCH


def _building(compound: Compound, rest: str) -> Building | None:
    found = _BUILDING.search(rest)
    if not found:
        return None
    number = found.group(1)
    for building in compound.buildings.all():
        if _NUMBER.findall(chinese_numerals(unicodedata.normalize("NFKC", building.name)))[:1] == [
            number
        ]:
            return building
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# A point farther than this from every compound is not in our area.
NEAREST_MAX_KM = 2.0


def nearest_compound(lat: float, lon: float, communities: Iterable[Community]) -> Compound | None:
    best: tuple[float, Compound] | None = None
    for compound in Compound.objects.filter(
        community__in=list(communities), latitude__isnull=False, longitude__isnull=False
    ).select_related("community"):
        assert compound.latitude is not None and compound.longitude is not None
        d = haversine_km(lat, lon, compound.latitude, compound.longitude)
        if best is None or d < best[0]:
            best = (d, compound)
    if best is None or best[0] > NEAREST_MAX_KM:
        return None
    return best[1]
