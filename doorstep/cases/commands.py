"""办理动作 — the one command layer for a case's transitions.

The desk's buttons and `POST /api/v1/cases/{id}/{action}` name the same commands, look up their
arguments through the same scoped choices (below) and call the same service. A new channel that
acts on cases (Open311, 12345, WeChat) calls `run` too, so the rules live in one place.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.catalog.models import ServiceItem
from doorstep.catalog.selectors import items_for
from doorstep.core.types import Actor
from doorstep.places.models import Community, Department

from . import selectors, services
from .models import Case


@dataclass(frozen=True)
class Arguments:
    """What a command may carry; each command reads only its own fields."""

    version: int | None
    note: str = ""
    reply: str = ""
    item: ServiceItem | None = None
    assignee: Actor | None = None
    target: str = ""
    department: Department | None = None
    community: Community | None = None


# --- the choices a command may pick from (the desk's form lists and the API's look-ups) ----------


def item_choices(case: Case) -> QuerySet[ServiceItem]:
    """Standard items plus the case's community's own local items."""
    return items_for(case.community)


def assignee_choices(case: Case) -> QuerySet[Actor]:
    """指定责任: the active community staff of the case's community."""
    return selectors.community_staff_users(case.community)


def transfer_targets(case: Case) -> QuerySet[Community]:
    """转办: the other communities of the case's street."""
    return Community.objects.filter(street_id=case.community.street_id).exclude(
        pk=case.community_id
    )


def department_choices() -> QuerySet[Department]:
    return Department.objects.all()


class Found(TypedDict, total=False):
    """The objects `resolve` looked up, named as `Arguments` names them."""

    item: ServiceItem | None
    assignee: Actor | None
    department: Department | None
    community: Community | None


NOT_IN_AREA = gettext_lazy("所选对象不存在或不在您的辖区。")


M = TypeVar("M", bound=Model)


def _pick(queryset: QuerySet[M], field: str, pk: object) -> M | None:
    if pk is None or pk == "":
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [str(NOT_IN_AREA)]})
    return found


def resolve(
    case: Case,
    *,
    item_code: str | None = None,
    assignee_id: int | None = None,
    department_id: int | None = None,
    community_id: int | None = None,
) -> Found:
    """Turn the API's ids and codes into objects from the same choices the desk offers."""
    found: Found = {}
    if item_code:
        found["item"] = item_choices(case).filter(code=item_code).first()
        if found["item"] is None:
            raise ValidationError({"item_code": [_("该服务事项不存在或已停用。")]})
    found["assignee"] = _pick(assignee_choices(case), "assignee_id", assignee_id)
    found["department"] = _pick(department_choices(), "department_id", department_id)
    found["community"] = _pick(transfer_targets(case), "community_id", community_id)
    return found


# --- the commands --------------------------------------------------------------------------------

Service = Callable[[Actor, int, Arguments], Case]
T = TypeVar("T")


def _given(value: T | None, field: str, message: str | Promise) -> T:
    """A command that cannot run without its object says so (keyed by the API's field name)."""
    if value is None:
        raise ValidationError({field: [str(message)]})
    return value


_COMMANDS: dict[str, Service] = {
    "accept": lambda a, pk, x: services.case_accept(actor=a, case_id=pk, version=x.version),
    "classify": lambda a, pk, x: services.case_classify(
        actor=a,
        case_id=pk,
        version=x.version,
        item=_given(x.item, "item_code", gettext_lazy("请选择服务事项。")),
    ),
    "assign": lambda a, pk, x: services.case_assign(
        actor=a,
        case_id=pk,
        version=x.version,
        assignee=_given(x.assignee, "assignee_id", gettext_lazy("请指定办理人。")),
        note=x.note,
    ),
    "escalate": lambda a, pk, x: services.case_escalate(
        actor=a,
        case_id=pk,
        version=x.version,
        target=x.target,
        note=x.note,
        department=x.department,
    ),
    "transfer": lambda a, pk, x: services.case_transfer(
        actor=a,
        case_id=pk,
        version=x.version,
        community=_given(x.community, "community_id", gettext_lazy("请选择转至的社区。")),
        note=x.note,
    ),
    "reply": lambda a, pk, x: services.case_reply(
        actor=a, case_id=pk, version=x.version, text=x.reply
    ),
    "resolve": lambda a, pk, x: services.case_resolve(
        actor=a, case_id=pk, version=x.version, reply=x.reply
    ),
    "reject": lambda a, pk, x: services.case_reject(
        actor=a, case_id=pk, version=x.version, reason=x.note
    ),
    "reopen": lambda a, pk, x: services.case_reopen(
        actor=a, case_id=pk, version=x.version, note=x.note
    ),
}

ACTIONS: tuple[str, ...] = tuple(_COMMANDS)

DONE = {
    "accept": gettext_lazy("已开始办理。"),
    "classify": gettext_lazy("已确定服务事项。"),
    "assign": gettext_lazy("已指定办理人。"),
    "escalate": gettext_lazy("已上报。"),
    "transfer": gettext_lazy("已转办。"),
    "reply": gettext_lazy("已答复居民。"),
    "resolve": gettext_lazy("已办结，居民可凭查询码评价。"),
    "reject": gettext_lazy("已不予受理，并告知居民理由。"),
    "reopen": gettext_lazy("已重新办理。"),
}


class UnknownCommand(LookupError):
    """An action name that is not one of `ACTIONS` (the views answer 404)."""


def run(actor: Actor, case: Case, action: str, arguments: Arguments) -> Case:
    """Run one command on a case the caller has already looked up through its scope."""
    command = _COMMANDS.get(action)
    if command is None:
        raise UnknownCommand(action)
    return command(actor, case.pk, arguments)
