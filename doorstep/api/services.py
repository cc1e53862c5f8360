"""Writes for the API layer: token use and idempotent creation."""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from doorstep.cases.models import Case
from doorstep.core.types import Actor

from .models import ApiToken, IdempotencyKey, token_hash


def token_authenticate(key: str) -> Actor | None:
    """The active user a bearer key belongs to (recording when it was last used), or None."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
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
