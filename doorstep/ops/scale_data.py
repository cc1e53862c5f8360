"""`doorstep scale-data`: a district's worth of history on top of the demo, for measuring.

It adds streets and communities to the demo district (so the demo's street and district users
see all of it), a desk worker and a secretary for each new community, residents, compounds,
and N cases spread over a year with their timeline events, ratings and demands. Every derived
column the app keeps is filled as the services would fill it (search pairs, phone hashes,
encrypted contacts, due dates in working days, overdue escalations and automatic closing
already done as `doorstep tick` would have), and the rollups are rebuilt at the end.

The places and people go in through `places.services.places_import`, loaded by the demo's
district admin and checked row by row like any import. The generated case history is the
benchmark generator's raw path, on purpose outside the services (millions of rows a service
could not check at this speed, and nothing but this command writes them): rows go in with
PostgreSQL COPY (psycopg 3), formatted as COPY text here and sent by a background thread while
the next chunk is generated, after the case tables' B-tree indexes and foreign keys are set
aside; those are rebuilt once at the end (an index built in one pass is several times faster
than one grown row by row). The trigram GIN stays and is filled through
its pending list during COPY, beside the generation instead of after it. SQLite gets multi-row
INSERTs, up to a million cases. Figures and reasons: docs/scale.md, "The data generator".
"""

from __future__ import annotations

import itertools
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from datetime import timezone as fixed_zone
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from doorstep.cases.choices import EventKind, Queue, Responsibility, Status
from doorstep.cases.models import Case
from doorstep.cases.search import case_search_terms
from doorstep.cases.services import TRACKING_ALPHABET, demand_topic
from doorstep.catalog.models import ServiceItem
from doorstep.core import crypto
from doorstep.core.redact import seal
from doorstep.ops.demo import CHANNEL_MIX, DISTRICT, POPULAR, SURNAMES, DemoBuilder
from doorstep.places.models import Community, Compound, District, Resident, StaffProfile, Street
from doorstep.places.services import (
    CommunityRow,
    CompoundRow,
    PlacesBatch,
    ResidentRow,
    StaffRow,
    places_import,
)
from doorstep.workdays.selectors import calendar_for

Log = Callable[[str], Any]

SQLITE_LIMIT = 1_000_000
STREET_PREFIX = "规模测试"
CHUNK = 20_000  # cases generated and written per round
# The site's zone (Asia/Shanghai, no daylight saving since 1991) as a fixed offset: the same
# instants, and half the cost of ZoneInfo for the ~10 datetimes added and formatted per case.
TZ = fixed_zone(timedelta(hours=8))
CODE_STEP = 400_000_000_000  # about half of 31⁸: see _tracking_code
PHONE_POOL = 50_000  # distinct callers' phones (about a quarter of the cases give one)
RESIDENTS_PER_COMMUNITY = 120
COMPOUNDS_PER_COMMUNITY = 4
AUTO_CLOSE_DAYS = 7
AUTO_CLOSE_NOTE = "办结 7 天未评价，自动归档。"
REPLIES = ["已办结，感谢您的反馈。", "已协调相关单位处理完毕。", "已上门处理，问题已解决。"]
COMMENTS = ["", "", "", "很满意", "处理及时", "态度很好", "速度还可以再快些"]


class ScaleDataRefused(Exception):
    """Why the generator will not run (message in Chinese, for the command line)."""


def refuse_reason(cases: int, vendor: str) -> str | None:
    if cases < 1:
        return "--cases 须为正整数。"
    if vendor != "postgresql" and cases > SQLITE_LIMIT:
        return (
            f"SQLite 只适合一个社区的数据量：最多生成 {SQLITE_LIMIT:,} 件。"
            "更大的规模请用 PostgreSQL（设置 DATABASE_URL=postgres://…）。"
        )
    if not District.objects.filter(name=DISTRICT).exists():
        return "请先载入演示数据（doorstep demo），规模数据加在演示区之上。"
    if Street.objects.filter(name__startswith=STREET_PREFIX).exists():
        return "规模数据已经生成过，不会重复写入。要重来，请换一个空数据库。"
    return None


@dataclass
class Place:
    community_id: int
    street_id: int
    district_id: int
    desk_id: int
    secretary_id: int
    street_user_id: int | None
    compounds: list[int]
    residents: list[int]


@dataclass
class Written:
    cases: int = 0
    events: int = 0
    ratings: int = 0
    demands: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _code(n: int) -> str:
    """A tracking code from a number: an affine bijection mod 31⁸ keeps codes unique without
    remembering them (generated history only; live codes are random)."""
    modulus = len(TRACKING_ALPHABET) ** 8
    value = (n * 479_001_599 + 87_178_291_199) % modulus
    chars = []
    for _ in range(8):
        value, digit = divmod(value, len(TRACKING_ALPHABET))
        chars.append(TRACKING_ALPHABET[digit])
    return f"{''.join(chars[:4])}-{''.join(chars[4:])}"


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: object) -> str:
    """One value in COPY's text format (NULL is \\N; backslash, tab and newlines escaped)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return str(value)


def copy_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as COPY text: joined here in one pass, far cheaper than psycopg's per-row dumping.
    Plain strings, NULLs and integers (most values) are handled inline, the rest by
    `_copy_field`."""
    return "".join(
        "\t".join(
            [
                v
                if isinstance(v, str) and v.isprintable() and "\\" not in v
                else "\\N"
                if v is None
                else str(v)
                if type(v) is int
                else _copy_field(v)
                for v in row
            ]
        )
        + "\n"
        for row in rows
    )


class Writer:
    """COPY on PostgreSQL, multi-row INSERT elsewhere.

    On PostgreSQL the rows are formatted as COPY text here and sent by one background thread,
    so the server parses and stores one chunk while Python generates the next (the thread
    waits on the socket without the GIL). Nothing else uses the connection until `flush()`."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.sender = ThreadPoolExecutor(max_workers=1) if self.postgres else None
        self.pending: deque[Future[None]] = deque()
        connection.ensure_connection()
        self.raw = connection.connection

    def write(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
        if self.sender is not None:
            text = copy_text(rows)
            while len(self.pending) > 3:  # at most a few chunks in flight: bounded memory
                self.pending.popleft().result()
            self.pending.append(self.sender.submit(self._copy, table, columns, text))
            return len(rows)
        return self._insert(table, columns, rows)

    def flush(self) -> None:
        while self.pending:
            self.pending.popleft().result()
        if self.sender is not None:
            self.sender.shutdown()
            self.sender = None

    def _copy(self, table: str, columns: Sequence[str], text: str) -> None:
        assert self.raw is not None
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(text)

    @staticmethod
    def _insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
        ops = connection.ops

        def adapt(value: object) -> object:
            if isinstance(value, datetime):
                return ops.adapt_datetimefield_value(value)
            return value.isoformat() if isinstance(value, date) else value

        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                batch: list[Any] = [[adapt(v) for v in r] for r in rows[start : start + 5000]]
                cursor.executemany(sql, batch)
        return len(rows)


def _secondary_indexes(tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, definition) of every index on `tables` that backs no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [list(tables)],
        )
        return list(cursor.fetchall())


def _foreign_keys(tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the foreign keys on `tables`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            """,
            [list(tables)],
        )
        return list(cursor.fetchall())


LOADED_TABLES = ("cases_case", "cases_caseevent", "cases_rating", "catalog_demand")


class ScaleData:
    def __init__(
        self, cases: int, streets: int, communities: int, seed: int = 14, log: Log = print
    ) -> None:
        self.n = cases
        self.streets = streets
        self.per_street = communities
        self.rng = random.Random(seed)
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.written = Written()

    # -- places and people --------------------------------------------------------------
    def places(self) -> list[Place]:
        """Tops the district up to the asked size through `places_import` (streets,
        communities, their desk and secretary, street staff, compounds, residents; loaded by
        the demo's district admin), then reads back the ids the case rows need."""
        district = District.objects.get(name=DISTRICT)
        admin = StaffProfile.objects.filter(district=district, role="district").first()
        if admin is None:
            raise ScaleDataRefused("演示区没有区级管理员，无法导入规模数据。")
        places_import(actor=admin.user, batch=self._batch(district))
        communities = list(
            Community.objects.filter(street__district=district).select_related("street")
        )
        staff: dict[tuple[int, str], int] = {}
        for p in StaffProfile.objects.filter(district=district).values(
            "community_id", "street_id", "role", "user_id"
        ):
            if p["role"] == "street":
                staff[(p["street_id"], "street")] = p["user_id"]
            elif p["community_id"] is not None:
                staff.setdefault((p["community_id"], p["role"]), p["user_id"])
        compounds: dict[int, list[int]] = {}
        for pk, community_id in Compound.objects.values_list("pk", "community_id"):
            compounds.setdefault(community_id, []).append(pk)
        residents: dict[int, list[int]] = {}
        for pk, community_id in Resident.objects.values_list("pk", "community_id"):
            residents.setdefault(community_id, []).append(pk)
        return [
            Place(
                community_id=c.pk,
                street_id=c.street_id,
                district_id=district.pk,
                desk_id=staff.get((c.pk, "desk")) or staff[(c.pk, "secretary")],
                secretary_id=staff[(c.pk, "secretary")],
                street_user_id=staff.get((c.street_id, "street")),
                compounds=compounds.get(c.pk, []),
                residents=residents.get(c.pk, [])[:2000],
            )
            for c in communities
        ]

    def _batch(self, district: District) -> PlacesBatch:
        """Long because it is the one table of what the district lacks: new streets, the
        communities each street lacks, a desk worker and a secretary for each unstaffed
        community, a street worker for each street without one, compounds and residents for
        each community without compounds."""
        streets = list(Street.objects.filter(district=district).order_by("pk"))
        names = [s.name for s in streets]
        new_streets = [
            f"{STREET_PREFIX}第{s + 1}街道" for s in range(max(0, self.streets - len(streets)))
        ]
        existing: dict[str, list[str]] = {name: [] for name in names}
        for street_name, name in Community.objects.filter(street__district=district).values_list(
            "street__name", "name"
        ):
            existing[street_name].append(name)
        communities: list[CommunityRow] = []
        for street in names + new_streets:
            have = len(existing.get(street, []))
            communities.extend(
                CommunityRow(street=street, name=f"{street}第{c + 1}社区")
                for c in range(max(0, self.per_street - have))
            )
        staffed = set(
            StaffProfile.objects.filter(
                role="secretary", community__street__district=district
            ).values_list("community__name", flat=True)
        )
        with_compounds = set(
            Compound.objects.filter(community__street__district=district)
            .values_list("community__name", flat=True)
            .distinct()
        )
        street_of = {name: street for street, these in existing.items() for name in these} | {
            c.name: c.street for c in communities
        }
        password = make_password(None)
        staff: list[StaffRow] = []
        for n, community in enumerate(c for c in street_of if c not in staffed):
            staff.extend(
                StaffRow(
                    username=f"scale{n + 1}{role}",
                    display_name=self._name(),
                    role=role,
                    community=community,
                    street=street_of[community],
                    password=password,
                )
                for role in ("desk", "secretary")
            )
        with_street_staff = set(
            StaffProfile.objects.filter(role="street", district=district).values_list(
                "street__name", flat=True
            )
        )
        for n, street in enumerate(s for s in names + new_streets if s not in with_street_staff):
            staff.append(
                StaffRow(
                    username=f"scale-street{n + 1}",
                    display_name=self._name(),
                    role="street",
                    street=street,
                    password=password,
                )
            )
        bare = [name for name in street_of if name not in with_compounds]
        compounds = [
            CompoundRow(community=name, name=f"{name[-6:]}{k + 1}号院")
            for name in bare
            for k in range(COMPOUNDS_PER_COMMUNITY)
        ]
        batch = PlacesBatch(
            district=district.name,
            streets=new_streets,
            communities=communities,
            staff=staff,
            compounds=compounds,
            residents=self._residents(bare),
        )
        self.log(f"  {len(bare)} 个新社区，{len(batch.residents)} 位居民")
        return batch

    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂") for _ in range(2)
        )

    def _residents(self, communities: list[str]) -> list[ResidentRow]:
        """Residents of each new community: a name from a pool (the import works each name's
        pinyin out once) and a mobile phone."""
        names = [self._name() for _ in range(3000)]
        rows = []
        for community in communities:
            for _ in range(RESIDENTS_PER_COMMUNITY):
                name = self.rng.choice(names)
                phone = "1" + self.rng.choice("3589") + "".join(self.rng.choices("0123456789", k=9))
                rows.append(ResidentRow(community=community, name=name, phone=phone))
        return rows

    # -- cases ---------------------------------------------------------------------------
    def pool(self) -> tuple[list[tuple[str, ServiceItem]], list[float]]:
        items = {i.code: i for i in ServiceItem.objects.filter(active=True)}
        pairs = [(t, items[c]) for t, c in DemoBuilder().requests_pool() if c in items]
        weights = [POPULAR.get(item.code, 1.5) for _, item in pairs]
        return pairs, weights

    def generate(self) -> Written:
        """Long because it is the generator's one pass: set indexes and keys aside, write chunk
        after chunk, rebuild, each phase timed."""
        started = time.perf_counter()
        places = self.places()
        self.written.seconds["places"] = time.perf_counter() - started
        pairs, weights = self.pool()
        # Stored as the desk stores them: phones and ID numbers masked (core/redact.py).
        pairs = [(seal(text).text, item) for text, item in pairs]
        cumulative = list(itertools.accumulate(weights))
        self.channels = [c for c, _ in CHANNEL_MIX]
        self.channel_weights = list(itertools.accumulate(w for _, w in CHANNEL_MIX))
        terms = {text: case_search_terms(text) for text, _ in pairs}
        unmatched = ["希望小区门口能增设一个快递柜", "想在小区里办个老年人合唱班，社区能不能牵头"]
        topics = {text: demand_topic(text) for text in unmatched}
        terms.update({text: case_search_terms(text) for text in unmatched})
        district_id = District.objects.get(name=DISTRICT).pk
        self.calendar = calendar_for(district_id)
        self.due_cache: dict[tuple[date, int], date] = {}
        self.phones = self._phones(min(PHONE_POOL, self.n))
        self.taken = set(Case.objects.values_list("tracking_code", flat=True))
        writer = Writer()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case")
            next_id = cursor.fetchone()[0] + 1
        indexes: list[tuple[str, str]] = []
        foreign_keys: list[tuple[str, str, str]] = []
        if writer.postgres:
            # The trigram GIN stays: its entries go to the index's pending list during COPY
            # (merged 64 MB at a time), so the server builds it while Python generates the
            # next chunk; rebuilt after the load it took as long, on the critical path.
            indexes = [i for i in _secondary_indexes(LOADED_TABLES) if "USING gin" not in i[1]]
            foreign_keys = _foreign_keys(LOADED_TABLES)
            with connection.cursor() as cursor:
                # For this transaction only: the index builds and key checks in memory, the
                # B-tree builds in parallel where a core is free (the trigram GIN cannot be).
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
                # Check the places written above now; keys cannot be re-added over pending ones.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table, name, _definition in foreign_keys:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _definition in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
        copy_started = time.perf_counter()
        done = 0
        while done < self.n:
            size = min(CHUNK, self.n - done)
            cases, events, ratings, demands = [], [], [], []
            drawn = self.rng.choices(pairs, cum_weights=cumulative, k=size)
            for k in range(size):
                case_id = next_id + done + k
                text, matched = drawn[k]
                item: ServiceItem | None = matched
                if self.rng.random() < 0.03:
                    text, item = self.rng.choice(unmatched), None
                place = self.rng.choice(places)
                row, evs, rating = self._case(case_id, done + k, text, item, place, terms[text])
                cases.append(row)
                events.extend(evs)
                if rating:
                    ratings.append(rating)
                if item is None:
                    demands.append((place.community_id, text, topics[text], case_id, row[-4]))
            self.written.cases += writer.write("cases_case", CASE_COLUMNS, cases)
            self.written.events += writer.write("cases_caseevent", EVENT_COLUMNS, events)
            self.written.ratings += writer.write("cases_rating", RATING_COLUMNS, ratings)
            self.written.demands += writer.write("catalog_demand", DEMAND_COLUMNS, demands)
            done += size
            if done % 200_000 < CHUNK or done == self.n:
                if done == self.n:
                    writer.flush()
                rate = done / (time.perf_counter() - copy_started)
                self.log(f"  {done:,} / {self.n:,} 件（{rate:,.0f} 件/秒）")
        self.written.seconds["rows"] = time.perf_counter() - copy_started
        finish_started = time.perf_counter()
        with connection.cursor() as cursor:
            for name, definition in indexes:
                self.log(f"  重建索引 {name}…")
                cursor.execute(definition)
            self.written.seconds["indexes"] = time.perf_counter() - finish_started
            started = time.perf_counter()
            # Re-adding a foreign key checks every row in one join, instead of one deferred
            # trigger per row (at 2 M cases those took over 8 minutes here).
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            self.written.seconds["foreign keys"] = time.perf_counter() - started
            if writer.postgres:
                for table in ("cases_case", "cases_caseevent", "cases_rating", "catalog_demand"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                cursor.execute(
                    "ANALYZE cases_case; ANALYZE cases_caseevent; ANALYZE cases_rating; "
                    "ANALYZE places_resident; ANALYZE places_community; ANALYZE places_street"
                )
        return self.written

    def _tracking_code(self, case_id: int) -> str:
        """The case's code, stepping past a code the demo's (random) codes already hold: the
        step lands far outside any generated range, so it cannot meet another generated code."""
        code = _code(case_id)
        while code in self.taken:
            case_id += CODE_STEP
            code = _code(case_id)
        return code

    def _between(self, low: int, high: int) -> int:
        """`random.randint` without its argument checks: one uniform draw, several times faster."""
        return low + int(self.rng.random() * (high - low + 1))

    def _phones(self, n: int) -> list[tuple[str, str, str]]:
        """Callers' phones with their ciphertext and lookup hash, encrypted once each: a case
        draws one (a caller with several requests, as on the hotline), so Fernet runs per
        phone, not per case. Each pair is exactly what `crypto` gives for that phone."""
        phones = dict.fromkeys(
            "1" + self.rng.choice("3589") + "".join(self.rng.choices("0123456789", k=9))
            for _ in range(n)
        )
        return [(p, crypto.encrypt(p), crypto.lookup_hash(p)) for p in phones]

    def _due(self, day: date, days: int) -> date:
        key = (day, days)
        if key not in self.due_cache:
            self.due_cache[key] = self.calendar.add_working_days(day, days)
        return self.due_cache[key]

    def _case(
        self,
        case_id: int,
        index: int,
        text: str,
        item: ServiceItem | None,
        place: Place,
        terms: str,
    ) -> tuple[list[object], list[list[object]], list[object] | None]:
        """Long because it is a generator's one pass: every decision about one generated case
        (channel, item, status path, events, rating) in the order the services would take them.

        The `index`-th of the generated cases falls on the year's matching day, oldest first:
        a live system writes its cases as they come, so ids and the table's pages follow
        `created_at` and a "newest first" list reads neighbouring pages. (Drawing each case's day
        at random left the newest thousand cases of a district on a thousand pages.)"""
        rng = self.rng
        age = 364 - index * 365 // self.n
        day = self.today - timedelta(days=age)
        minute = self._between(8 * 60 + 30, 19 * 60 + 50)
        at = datetime.combine(day, clock(minute // 60, minute % 60, self._between(0, 59)), TZ)
        if at > self.now:  # today, after now: earlier today instead (never yesterday, so
            # the cases stay in day order)
            earlier = (self.now - timedelta(minutes=self._between(1, 300))).astimezone(TZ)
            at = max(earlier, datetime.combine(day, clock(0, 0), TZ))
            day = at.date()  # the due date counts from the day it was really received
        level = item.level if item else "community"
        queue = {"community": Queue.COMMUNITY, "street": Queue.STREET}.get(level, Queue.DEPARTMENT)
        department_id = item.department_id if item and queue == Queue.DEPARTMENT else None
        if queue == Queue.DEPARTMENT and department_id is None:
            queue = Queue.STREET
        desk = place.desk_id
        handler = desk if queue == Queue.COMMUNITY else place.street_user_id
        resident_id = (
            rng.choice(place.residents) if place.residents and rng.random() < 0.5 else None
        )
        phone, phone_encrypted, phone_hash = "", "", ""
        if resident_id is None and rng.random() < 0.5:
            phone, phone_encrypted, phone_hash = rng.choice(self.phones)
        owner: int | None = desk if queue == Queue.COMMUNITY else None
        status, due, settled = Status.RECEIVED, None, False
        reply, replied, resolved, closed, escalated = "", None, None, None, None
        responsibility = Responsibility.FIRST_RESPONDER
        events: list[list[object]] = []
        rating = None

        def ev(kind: str, actor: int | None, when: datetime, note: object = "") -> list[object]:
            return [case_id, kind, actor, when, note, "{}"]

        if item is not None and item.mode == "on_the_spot" and rng.random() < 0.75:
            status, settled, reply = Status.RESOLVED, True, rng.choice(REPLIES)
            replied = resolved = at
            events.append(ev(EventKind.SETTLED, desk, at, reply))
        else:
            days = item.promise_days if item and item.mode == "promise" else (1 if item else 5)
            due = self._due(day, days)
            events.append(ev(EventKind.CREATED, desk, at, ""))
            span = max(1, (due - day).days)
            late = rng.random() < 0.08
            finish = at + timedelta(
                days=self._between(0, span) + (self._between(1, 6) if late else 0),
                hours=self._between(1, 6),
            )
            if finish < self.now:
                owner = owner or handler
                events.append(ev(EventKind.ACCEPTED, owner, at + timedelta(hours=1)))
                if late and queue == Queue.COMMUNITY:
                    escalated = datetime.combine(due + timedelta(days=1), clock(1), TZ)
                    owner, responsibility = place.secretary_id, Responsibility.FALLBACK
                    events.append(ev(EventKind.OVERDUE, None, escalated, ""))
                if rng.random() < 0.03:
                    status, reply = Status.REJECTED, "经核实不属于受理范围，已告知居民。"
                    replied = finish
                    events.append(ev(EventKind.REJECTED, owner, finish, reply))
                else:
                    status, reply = Status.RESOLVED, rng.choice(REPLIES)
                    replied = resolved = finish
                    events.append(ev(EventKind.RESOLVED, owner, finish, reply))
            else:
                if rng.random() < 0.6:
                    status = Status.IN_PROGRESS
                    owner = owner or handler
                    events.append(ev(EventKind.ACCEPTED, owner, at + timedelta(hours=1)))
                if due < self.today and queue == Queue.COMMUNITY:
                    escalated = datetime.combine(due + timedelta(days=1), clock(1), TZ)
                    owner, responsibility = place.secretary_id, Responsibility.FALLBACK
                    events.append(ev(EventKind.OVERDUE, None, escalated, ""))
        if status == Status.RESOLVED and resolved is not None:
            rated_at = resolved + timedelta(hours=self._between(2, 72))
            if rng.random() < 0.55 and rated_at < self.now:
                attitude, capability = rng.choices([5, 4, 3, 2, 1], weights=[70, 20, 6, 2, 2], k=2)
                comment = rng.choice(COMMENTS)
                rating = [case_id, attitude, capability, comment, rated_at]
                status, closed = Status.CLOSED, rated_at
                events.append(ev(EventKind.RATED, None, rated_at, comment))
            elif resolved < self.now - timedelta(days=AUTO_CLOSE_DAYS):
                closed = resolved + timedelta(days=AUTO_CLOSE_DAYS, hours=1)
                status = Status.CLOSED
                events.append(ev(EventKind.CLOSED, None, closed, AUTO_CLOSE_NOTE))
        row: list[object] = [
            case_id,
            self._tracking_code(case_id),
            place.community_id,
            place.street_id,
            place.district_id,
            rng.choices(self.channels, cum_weights=self.channel_weights)[0],
            resident_id,
            "" if phone == "" else rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
            phone_encrypted,
            phone_hash,
            text,
            "",
            terms,
            item.pk if item else None,
            item.pk if item else None,
            None,
            status,
            queue,
            department_id,
            responsibility,
            desk,
            owner,
            settled,
            due,
            bool(item and item.needs_upper_approval),
            reply,
            replied,
            "经核实不属于受理范围，已告知居民。" if status == Status.REJECTED else "",
            escalated,
            at,
            resolved,
            closed,
            len(events),
        ]
        return row, events, rating


CASE_COLUMNS = (
    "id",
    "tracking_code",
    "community_id",
    "street_id",
    "district_id",
    "channel",
    "resident_id",
    "contact_name",
    "contact_phone_encrypted",
    "contact_phone_hash",
    "description",
    "description_sealed",
    "search_terms",
    "item_id",
    "suggested_item_id",
    "routing_confidence",
    "status",
    "queue",
    "department_id",
    "responsibility",
    "first_responder_id",
    "owner_id",
    "settled_on_spot",
    "due_date",
    "needs_upper_approval",
    "reply",
    "replied_at",
    "rejection_reason",
    "overdue_escalated_at",
    "created_at",
    "resolved_at",
    "closed_at",
    "version",
)
EVENT_COLUMNS = ("case_id", "kind", "actor_id", "at", "note", "data")
RATING_COLUMNS = ("case_id", "attitude", "capability", "comment", "created_at")
DEMAND_COLUMNS = ("community_id", "text", "topic", "case_id", "created_at")


def _set_aside(tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes, unique constraints and foreign keys of `tables` (not the
    primary keys); returns the statements that put them back, each built in one pass."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype IN ('u', 'f') AND c.conrelid::regclass::text = ANY(%s)
            ORDER BY c.contype DESC
            """,
            [list(tables)],
        )
        constraints = cursor.fetchall()
        indexes = _secondary_indexes(tables)
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in reversed(constraints)
    ]


def rebuild_derived(log: Log) -> None:
    """The summaries' rollup tables (`doorstep/rollups/`) are rebuilt from the cases just
    written: COPY bypasses the services that keep them. On PostgreSQL their indexes, unique
    keys and foreign keys are set aside for the rebuild's INSERTs and rebuilt after: kept,
    each of the ~0.5 M rows per 100 k cases cost four random index inserts and a deferred
    key check (two thirds of the rebuild's time)."""
    from doorstep.rollups.models import DailyFlow, OpenStock
    from doorstep.rollups.services import rollup_rebuild

    started = time.perf_counter()
    restore: list[str] = []
    if connection.vendor == "postgresql":
        restore = _set_aside([DailyFlow._meta.db_table, OpenStock._meta.db_table])
    rollup_rebuild()
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
    log(f"  汇总表已重建，用时 {time.perf_counter() - started:.1f} 秒")


def scale_data(cases: int, streets: int, communities: int, log: Log = print) -> Written:
    reason = refuse_reason(cases, connection.vendor)
    if reason:
        raise ScaleDataRefused(reason)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE cases_case IN SHARE ROW EXCLUSIVE MODE")
        written = ScaleData(cases, streets, communities, log=log).generate()
        started = time.perf_counter()
        rebuild_derived(log)
        written.seconds["rollups"] = time.perf_counter() - started
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Outside the transaction (VACUUM cannot run in one): sets the visibility map, so
        # counts over the covering indexes stay index-only.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # The case tables were analysed before the rollups were rebuilt from them.
            cursor.execute("VACUUM cases_case, cases_caseevent, cases_rating, catalog_demand")
            cursor.execute("VACUUM (ANALYZE) rollups_dailyflow, rollups_openstock")
        written.seconds["vacuum"] = time.perf_counter() - started
    return written
