"""Telling the resident (通知居民). Called after commit by cases/services.py."""

import logging

logger = logging.getLogger(__name__)


def case_notify(case_id: int, kind: str) -> None:
    """Record the notices for this event and queue their delivery. Runs after the case's
    transaction committed; never lets a notification problem reach the resident's request."""
    from .services import notifications_create
    from .tasks import send_notification

    try:
        for pk in notifications_create(case_id, kind):
            send_notification.enqueue(pk)
    except Exception:
        # The notice rows that were written are picked up by `notifications_retry` (tick).
        logger.exception("could not queue notifications for case %s (%s)", case_id, kind)
