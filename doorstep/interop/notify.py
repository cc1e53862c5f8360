"""Telling the resident (通知居民). Called after commit by cases/services.py."""

import logging

logger = logging.getLogger(__name__)


def case_notify(case_id: int, kind: str) -> None:
    logger.info("notify case %s: %s", case_id, kind)
