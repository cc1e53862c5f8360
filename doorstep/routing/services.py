"""The live routing engine inside the app: suggest while the worker types, learn from every
confirmed case, retrain without blocking requests, swap the live model atomically."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from doorstep.catalog.choices import Level
from doorstep.catalog.models import ServiceItem
from doorstep.core.types import Actor
from doorstep.places.models import Building, Community, Compound

from .models import RoutingModel

if TYPE_CHECKING:  # numpy / scipy load only when something is routed or trained
    from .engine import Router

logger = logging.getLogger(__name__)

# Below this confidence a text-only request is not routed automatically: a person looks at it.
CONFIDENCE_THRESHOLD = 0.35
# `doorstep tick` retrains once this many cases were confirmed since the last training.
RETRAIN_AFTER_CONFIRMATIONS = 200
MAX_CASE_SAMPLES = 20000

_live: tuple[float, Router] | None = None
_swap_lock = threading.Lock()
_training = threading.Lock()


def live_router() -> Router | None:
    """The current model, reloaded when its file was replaced (os.replace keeps it atomic)."""
    global _live
    path = Path(settings.ROUTING_MODEL_PATH)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    current = _live
    if current is not None and current[0] == mtime:
        return current[1]
    from .engine import IncompatibleModelError, Router

    with _swap_lock:
        try:
            router = Router.load(path)
        except IncompatibleModelError:
            logger.warning("routing model %s is from another version; retrain it", path)
            return None
        _live = (mtime, router)  # a single assignment: readers see the old or the new model
    return router


@dataclass(frozen=True)
class Suggestion:
    item: ServiceItem
    confidence: float
    evidence: list[str]
    handler: str


def handler_for(
    item: ServiceItem,
    community: Community | None,
    building: Building | None,
    compound: Compound | None = None,
) -> str:
    """Who would handle it: the worker contracting the building (包楼), the grid worker, the
    street queue or the department."""
    if item.level == Level.STREET:
        return f"{community.street.name}受理窗口" if community else "街道受理窗口"
    if item.level == Level.DEPARTMENT:
        return item.department.name if item.department else "职能部门"
    if building is not None and building.contractor is not None:
        return f"{building.contractor.staff.display_name}（包楼）"
    grid = compound.grid if compound is not None else None
    if grid is not None and grid.worker is not None:
        return f"{grid.worker.staff.display_name}（网格员）"
    return "首问社工"


def suggest(
    text: str,
    *,
    community: Community | None,
    compound: Compound | None = None,
    building: Building | None = None,
    k: int = 3,
) -> list[Suggestion]:
    router = live_router()
    if router is None or not (text or "").strip():
        return []
    predictions = router.predict(text, k=k)
    items = {
        i.code: i
        for i in ServiceItem.objects.filter(
            code__in=[p.label for p in predictions], active=True
        ).select_related("category", "department", "community__street")
    }
    out = []
    for p in predictions:
        item = items.get(p.label)
        if item is None or (item.community_id and community and item.community_id != community.pk):
            continue
        out.append(
            Suggestion(
                item,
                p.confidence,
                list(p.evidence),
                handler_for(item, community, building, compound),
            )
        )
    return out


def auto_route(text: str, community: Community) -> tuple[ServiceItem | None, float | None]:
    """For text-only intake (API, import): the top item when confident enough, else a person."""
    found = suggest(text, community=community, k=1)
    if not found:
        return None, None
    top = found[0]
    return (top.item if top.confidence >= CONFIDENCE_THRESHOLD else None), top.confidence


def safe_auto_route(text: str, community: Community) -> tuple[ServiceItem | None, float | None]:
    """`auto_route` for self-service entries (portal, WeChat, Open311, offline capture): a
    broken or missing model never stops a resident's request; a person routes it instead."""
    try:
        return auto_route(text, community)
    except Exception:
        logger.exception("routing failed for a self-service request")
        return None, None


def _training_rows() -> tuple[list[str], list[str], list[tuple[str, str]], int]:
    from doorstep.cases.models import Case

    from .engine import catalogue_examples

    items = list(ServiceItem.objects.filter(active=True))
    catalogue = catalogue_examples(
        [
            {
                "code": i.code,
                "name": i.name,
                "keywords": i.keywords.split(),
                "worker_guidance": i.worker_guidance,
                "resident_guidance": i.resident_guidance,
                "examples": i.examples,
            }
            for i in items
        ]
    )
    confirmed = list(
        Case.objects.filter(item__isnull=False, item__active=True)
        .order_by("-created_at")
        .values_list("description", "item__code")[:MAX_CASE_SAMPLES]
    )
    # The same words filed under the same item teach nothing twice (and would leak into the
    # held-out fifth): keep each (text, label) pair once.
    unique = list(dict.fromkeys(confirmed))
    texts = [t for t, _ in unique]
    labels = [label for _, label in unique]
    return texts, labels, catalogue, len(confirmed)


def routing_retrain(*, actor: Actor | None = None) -> RoutingModel | None:
    """Train on the catalogue plus confirmed cases (the worker's final choice is the label, so
    every correction counts); evaluate on a held-out fifth; swap the live file atomically.
    Returns None when another training is already running, or when there is nothing to learn
    from yet (fewer than two items)."""
    if not _training.acquire(blocking=False):
        return None
    from .engine import Router, evaluate, phrase_holdout

    try:
        texts, labels, catalogue, n_cases = _training_rows()
        # The catalogue's own words are always training rows, so every item is known from the
        # first day; only confirmed cases are held out for evaluation.
        catalogue_texts = [t for t, _ in catalogue]
        catalogue_labels = [label for _, label in catalogue]
        if len(set(labels) | set(catalogue_labels)) < 2:
            return None
        started = time.perf_counter()
        metrics: dict[str, Any] = {}
        if len(texts) >= 50:
            # Near-copies of one phrasing stay on one side: the figure is for new words.
            train, test = phrase_holdout(texts, labels)
            probe = Router.train(
                [texts[i] for i in train] + catalogue_texts,
                [labels[i] for i in train] + catalogue_labels,
            )
            full = evaluate(probe, [texts[i] for i in test], [labels[i] for i in test])
            metrics = {k: full[k] for k in ("accuracy", "macro_f1")}
            metrics["confused"] = _most_confused(full.get("confusion", {}))
            metrics["test_rows"] = len(test)
        router = Router.train(texts + catalogue_texts, labels + catalogue_labels)
        seconds = time.perf_counter() - started
        path = Path(settings.ROUTING_MODEL_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        router.save(path)
        with transaction.atomic():
            return RoutingModel.objects.create(
                trained_by=actor,
                path=str(path),
                n_samples=len(texts) + len(catalogue),
                n_cases=n_cases,
                seconds=round(seconds, 2),
                metrics=metrics,
            )
    finally:
        _training.release()


# `confusion` is the evaluation's JSON (either of two shapes, read by key): really any.
def _most_confused(confusion: Any, limit: int = 8) -> list[tuple[str, str, int]]:
    pairs: list[tuple[str, str, int]] = []
    if isinstance(confusion, dict) and "labels" in confusion:
        labels, matrix = confusion["labels"], confusion["matrix"]
        for i, row in enumerate(matrix):
            for j, n in enumerate(row):
                if i != j and n:
                    pairs.append((labels[i], labels[j], int(n)))
    elif isinstance(confusion, dict):
        for truth, row in confusion.items():
            for predicted, n in row.items():
                if truth != predicted and n:
                    pairs.append((truth, predicted, int(n)))
    return sorted(pairs, key=lambda p: -p[2])[:limit]


def retrain_in_background(*, actor: Actor | None = None) -> bool:
    """Queue a training on the task queue (`doorstep worker` runs it); requests keep using the
    current model meanwhile. False when one is already queued or running."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import routing_retrain_task

    waiting = DBTaskResult.objects.filter(
        task_path=routing_retrain_task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )
    if _training.locked() or waiting.exists():
        return False
    routing_retrain_task.enqueue(actor_id=actor.pk if actor else None)
    return True


def confirmations_since_last_training(up_to: int | None = None) -> int:
    """Cases confirmed since the last training; with `up_to`, counting stops there (tick only
    needs to know whether the threshold is reached, not how far past it a big table is)."""
    from doorstep.cases.models import Case

    last = RoutingModel.objects.first()
    qs = Case.objects.filter(item__isnull=False)
    if last is not None:
        qs = qs.filter(created_at__gt=last.trained_at)
    return qs.order_by()[:up_to].count() if up_to else qs.count()


def retrain_if_due() -> RoutingModel | None:
    """Called by `doorstep tick`: retrain when enough new confirmations have arrived or when
    there is no model yet."""
    if not Path(settings.ROUTING_MODEL_PATH).exists() or live_router() is None:
        return routing_retrain()
    if (
        confirmations_since_last_training(RETRAIN_AFTER_CONFIRMATIONS)
        >= RETRAIN_AFTER_CONFIRMATIONS
    ):
        return routing_retrain()
    return None
