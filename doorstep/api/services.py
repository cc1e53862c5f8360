"""Writes for the API layer: token use and idempotent creation."""

from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from doorstep.cases.models import Case
from doorstep.core.types import Actor

from .models import ApiToken, IdempotencyKey, token_hash

# A token's `last_used_at` is kept to the minute: a busy client does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_authenticate(key: str) -> Actor | None:
    """The active user a bearer key belongs to (recording when it was last used), or None."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        # Conditional: of many requests in the same minute, one writes.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token.user  # type: ignore[return-value]


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
