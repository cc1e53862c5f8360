"""Telling the resident (通知居民): listens to the cases' timeline events and writes the notices
into the outbox inside the case's own transaction; `doorstep worker` delivers them."""

from doorstep.cases.models import Case, CaseEvent


def on_case_event(*, case: Case, event: CaseEvent, **_payload: object) -> None:
    from .services import notifications_record

    notifications_record(case, event)
