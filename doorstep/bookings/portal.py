"""The resident's 居民码 on the portal: entered once, kept in the session (the resident id and
the pass hash, so a re-issued pass ends the session). Used by bookings and volunteers."""

from __future__ import annotations

from django.http import HttpRequest

from doorstep.places.models import Resident

from .selectors import pass_code_hash, resident_by_pass, resident_by_pass_hash

SESSION_KEY = "doorstep_resident_pass"


def portal_resident(request: HttpRequest) -> Resident | None:
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    resident_id, code_hash = held.get("resident"), held.get("hash")
    if not isinstance(resident_id, int) or not isinstance(code_hash, str):
        return None
    return resident_by_pass_hash(resident_id, code_hash)


def portal_enter(request: HttpRequest, code: str) -> Resident | None:
    resident = resident_by_pass(code[:40])
    if resident is not None:
        request.session.cycle_key()
        request.session[SESSION_KEY] = {"resident": resident.pk, "hash": pass_code_hash(code)}
    return resident


def portal_leave(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
