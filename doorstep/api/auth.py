"""Token auth (`Authorization: Bearer ds_…`) and the browser session, for the same scoping."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from doorstep.core import throttle
from doorstep.core.types import Actor

from .services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        user = token_authenticate(token)
        if user is not None:
            throttle.check(f"api:token:{token}", throttle.API_CALLS, batch=throttle.API_BATCH)
            request.user = user
        return user


class SignedInSession(SessionAuth):
    """The browser session, CSRF-checked; without a signed-in session the request is simply
    unauthenticated (401), not a CSRF failure (403)."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


auth = [TokenAuth(), SignedInSession()]
