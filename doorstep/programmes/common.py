"""What the five programme apps' services and selectors share: the community an action is about
(within the actor's area), the audit entry of a write that leaves no who-and-when of its own,
and the small input checks every programme form makes.

Who may do what is not decided here: services call ``access.require(actor, "fund.record", …)``
and read rows through ``access.visible_to`` / ``access.access_object`` (docs/programs.md).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.services import audit_record
from doorstep.core.types import Actor
from doorstep.places.access import communities_for
from doorstep.places.models import Community


def community_in_area(actor: Actor, community_id: int) -> Community:
    """The community, if it lies in the actor's area; otherwise it does not exist for them."""
    return communities_for(actor).select_related("street").get(pk=community_id)


def audit(actor: Actor, action: str, object_type: str, object_id: object, note: str) -> None:
    """The one audit entry (审计记录) of a programme write whose own rows do not say who did it
    and when (a rejection, a reminder, a proposed list, a panel member, a template edit)."""
    audit_record(
        actor=actor, action=action, object_type=object_type, object_id=object_id, note=note
    )


def required_text(value: str, field: str, message: str, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > max_length:
        raise ValidationError({field: _("内容过长，请控制在 %(n)s 字以内。") % {"n": max_length}})
    return text


def today_or(today: date | None) -> date:
    return today or timezone.localdate()
