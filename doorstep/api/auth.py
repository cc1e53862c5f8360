"""Token auth (`Authorization: Bearer ds_…`) and the browser session, for the same scoping."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


auth = [TokenAuth(), SessionAuth()]
