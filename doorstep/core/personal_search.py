"""Searches that may hold a phone or ID number (个人信息检索): POSTed, never in a URL.

A page that finds residents reads its search box from the POST body (`posted_search`), so a
full number never lands in an address bar, browser history or an access log. A list that must
keep its search across pages and exports (the case list) keeps the text in the session and
puts an opaque token in its links (`search_token_issue` / `search_from_token`); the session
row is personal data at rest too, so the text is kept there encrypted. A query
string that does carry a phone or ID number is refused (`url_search`), not searched.
"""

import re
import secrets

from django.http import HttpRequest

from .crypto import decrypt, encrypt
from .parsing import search_text
from .redact import redact

SEARCH_FIELD = "q"
TOKEN_FIELD = "s"
SESSION_KEY = "doorstep.searches"
KEPT_SEARCHES = 20  # tokens kept per session; older ones expire
RESIDENT_QUERY = 50  # characters of a resident search worth sending to the database

_SEPARATORS = re.compile(r"[\s()（）+-]")
_ID_TAIL = re.compile(r"\d{3}[\dXx]")
_LONG_DIGITS = re.compile(r"\d{7,}")
_TRACKING_CODE = re.compile(r"[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}")  # 查询码: eight characters


def looks_personal(text: str) -> bool:
    """A phone, an ID number, its last four or a run of seven digits or more: what a URL may
    not carry. A tracking code (eight characters) is not personal."""
    if _TRACKING_CODE.fullmatch(text.strip()):
        return False
    compact = _SEPARATORS.sub("", text)
    return (
        redact(text) != text
        or bool(_ID_TAIL.fullmatch(compact))
        or bool(_LONG_DIGITS.search(compact))
    )


def posted_search(request: HttpRequest, limit: int = RESIDENT_QUERY) -> str:
    """The search box's text when POSTed; a GET carries none."""
    if request.method != "POST":
        return ""
    return search_text(request.POST.get(SEARCH_FIELD, ""), limit=limit)


def url_search(value: str | None, limit: int = RESIDENT_QUERY) -> tuple[str, bool]:
    """A search from a query string and whether it was refused: words and tracking codes are
    searched, a phone or ID number is not (the caller says why)."""
    text = search_text(value or "", limit=limit)
    if text and looks_personal(text):
        return "", True
    return text, False


def search_token_issue(request: HttpRequest, text: str) -> str:
    """Keep `text` in the session and return the opaque token that stands for it in URLs."""
    if not text:
        return ""
    kept: dict[str, str] = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(9)
    kept[token] = encrypt(text)
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT_SEARCHES:])
    return token


def search_from_token(request: HttpRequest) -> str:
    """The search a `?s=` token stands for in this session ('' when unknown or expired)."""
    token = request.GET.get(TOKEN_FIELD, "")[:40]
    if not token:
        return ""
    return decrypt(str(kept_searches(request).get(token, "")))


def kept_searches(request: HttpRequest) -> dict[str, str]:
    """The session's kept searches, token → encrypted text (a background export of the list
    takes the one its URL names along)."""
    kept = request.session.get(SESSION_KEY, {})
    return dict(kept) if isinstance(kept, dict) else {}
