"""Writes of the leaders' view: a street's scorecard weights (考评权重)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, QuerySet
from django.utils.translation import gettext as _

from doorstep.core.models import AuditEntry
from doorstep.core.types import Actor
from doorstep.places.choices import Role
from doorstep.places.models import Street
from doorstep.places.selectors import staff_profile

from .models import DEFAULT_WEIGHTS, ScorecardWeights

MAX_WEIGHT = 100


def weight_labels() -> dict[str, str]:
    """Each weight's Chinese name, as the model declares it (按期办结率权重 …)."""
    labels = {}
    for key in DEFAULT_WEIGHTS:
        field = ScorecardWeights._meta.get_field(key)
        assert isinstance(field, Field)
        labels[key] = str(field.verbose_name)
    return labels


def weight_streets(actor: Actor) -> QuerySet[Street]:
    """The streets whose weights `actor` may set: a street's staff their own street, a district
    admin every street of the district; nobody else (community workers and departments)."""
    profile = staff_profile(actor)
    qs = Street.objects.order_by("pk")
    if profile is None:
        return qs.none()
    if profile.role == Role.STREET and profile.street_id is not None:
        return qs.filter(pk=profile.street_id)
    if profile.role == Role.DISTRICT:
        return qs.filter(district_id=profile.district_id)
    return qs.none()


def access_street_weights(actor: Actor, street_id: int, *, lock: bool = False) -> Street:
    """The street, if `actor` may set its weights (another area's street: DoesNotExist)."""
    if not weight_streets(actor).exists():
        raise PermissionDenied(_("只有街道和区级人员可以设置考评权重。"))
    qs = weight_streets(actor)
    if lock:
        qs = qs.select_for_update()
    return qs.get(pk=street_id)


def weights_of(street: Street) -> dict[str, int]:
    row = ScorecardWeights.objects.filter(street=street).first()
    return row.as_dict() if row else dict(DEFAULT_WEIGHTS)


def _clean(raw: Mapping[str, str]) -> dict[str, int]:
    """Each weight a whole number 0–100, not all zero (the model's rule: the score divides by
    their sum, so they need not add up to 100)."""
    labels = weight_labels()
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for key in DEFAULT_WEIGHTS:
        text = (raw.get(key) or "").strip()
        if not text.isascii() or not text.isdigit() or int(text) > MAX_WEIGHT:
            errors[key] = _("%(label)s须为 0 到 100 之间的整数。") % {"label": labels[key]}
        else:
            clean[key] = int(text)
    if errors:
        raise ValidationError(errors)
    if not any(clean.values()):
        raise ValidationError(_("权重不能全部为 0，至少一项须大于 0。"))
    return clean


@transaction.atomic
def scorecard_weights_set(
    *, actor: Actor, street_id: int, weights: Mapping[str, str]
) -> ScorecardWeights:
    """Set a street's weights from the submitted text; the street row is locked so two leaders
    saving at once apply one after the other, and one audit entry names the changes."""
    street = access_street_weights(actor, street_id, lock=True)
    clean = _clean(weights)
    before = weights_of(street)
    row, _created = ScorecardWeights.objects.update_or_create(street=street, defaults=clean)
    labels = weight_labels()
    changes = "；".join(
        f"{labels[k]} {before[k]}→{clean[k]}" for k in DEFAULT_WEIGHTS if before[k] != clean[k]
    )
    AuditEntry.objects.create(
        actor=actor,
        action="scorecard_weights_set",
        object_type="street",
        object_id=str(street.pk),
        field="scorecard_weights",
        reason=(changes or _("未改动"))[:200],
    )
    return row
