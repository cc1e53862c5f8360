"""Writes for cross-cutting concerns: the audit entries other floors record through. Imports
nothing above the ground floor (a resident's reveal lives in `places.services`)."""

import logging

from django.utils.translation import gettext as _

from doorstep.core.types import Actor

from .models import AuditEntry

logger = logging.getLogger(__name__)


def personal_data_shown(
    *, actor: Actor, action: str, object_type: str, object_id: str, field: str, reason: str
) -> AuditEntry:
    """Record that a document showing personal data in full (e.g. a certificate with the ID
    number) was produced for this staff member."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        field=field,
        reason=reason[:200],
    )


def audit_record(
    *, actor: Actor, action: str, object_type: str, object_id: object, note: str
) -> None:
    """The one audit entry (审计记录) of a write whose own rows do not say who did it: a bulk
    import's (`places_import`, `catalogue_import`, `case_history_load`)."""
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        reason=str(note)[:200],
    )


def login_locked(*, username: str, by_address: bool) -> None:
    """Record a log-in lock: an audit entry on the account when it exists, a log line always
    (the username only; never the password, never the address)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username__iexact=username).first()
    logger.warning("log-in locked for 15 minutes: %s", "address" if by_address else "account")
    if user is not None:
        AuditEntry.objects.create(
            actor=user,
            action="login_locked",
            object_type="user",
            object_id=str(user.pk),
            reason=_("连续 5 次登录失败，锁定 15 分钟")
            + (_("（同一来源地址）") if by_address else ""),
        )
