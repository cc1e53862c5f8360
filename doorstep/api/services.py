"""Writes for the API layer: token issue and use, idempotent creation."""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.cases.models import Case
from doorstep.core.models import AuditEntry
from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.backends import STAFF_JOINS
from doorstep.places.selectors import staff_profile

from .models import ApiToken, IdempotencyKey, token_hash

# A token's `last_used_at` is kept to the minute: a busy client does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_authenticate(key: str) -> Actor | None:
    """The active user a bearer key belongs to (recording when it was last used), or None."""
    if not key:
        return None
    try:  # the unique hash: no ORDER BY, as `.first()` would add
        token = ApiToken.objects.select_related(*(f"user__{j}" for j in STAFF_JOINS)).get(
            key_hash=token_hash(key)
        )
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        # Conditional: of many requests in the same minute, one writes.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token.user


def case_create_once(*, actor: Actor, key: str, create: Callable[[], Case]) -> Case:
    """Run `create` once per (actor, Idempotency-Key): a retry, even one racing the first
    request, gets the case the first one made. A failed creation does not use up the key."""
    earlier = IdempotencyKey.objects.filter(user=actor, key=key).first()
    if earlier is not None:
        return earlier.case
    try:
        with transaction.atomic():
            case = create()
            IdempotencyKey.objects.create(user=actor, key=key, case=case)
    except IntegrityError:
        return IdempotencyKey.objects.select_related("case").get(user=actor, key=key).case
    return case


def api_token_create(user: Actor, name: str) -> tuple[ApiToken, str]:
    """Write a token (接口令牌) for `user`; the plain key is returned once, only its hash is
    kept. The write itself, without an actor: pages go through `api_token_issue` (the district
    admin's check and the audit entry); the demo and tests bootstrap tokens with this."""
    key = "ds_" + secrets.token_urlsafe(32)
    return ApiToken.objects.create(user=user, name=name, key_hash=token_hash(key)), key


@transaction.atomic
def api_token_issue(*, actor: Actor, user_id: int, name: str) -> tuple[ApiToken, str]:
    """The district admin issues an API token (接口令牌) to a staff member of the district;
    the plain key is returned once, only its hash is kept, and the issue is audited."""
    _require_district(actor)
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError({"name": _("请填写令牌用途。")})
    user = staff_in_district(actor).filter(pk=user_id).first()
    if user is None:
        raise ValidationError({"user": _("请选择本区的工作人员。")})
    token, key = api_token_create(user, name)
    AuditEntry.objects.create(
        actor=actor,
        action="api_token_issue",
        object_type="api_token",
        object_id=str(token.pk),
        field="",
        reason=(
            _("为 %(user)s 开具接口令牌：%(name)s") % {"user": user.get_username(), "name": name}
        )[:200],
    )
    return token, key


def _require_district(actor: Actor) -> None:
    access.require(actor, "api.keys", _("只有区级管理员可以开具接口令牌和 Open311 密钥。"))


def staff_in_district(actor: Actor) -> QuerySet[Actor]:
    """Active staff accounts whose post lies in the actor's district."""
    profile = staff_profile(actor)
    district_id = profile.district_id if profile else 0
    return Actor.objects.filter(is_active=True, staff__district_id=district_id).order_by("username")
