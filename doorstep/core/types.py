"""Shared type names."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

# A signed-in staff account (the project uses Django's default user model).
Actor = User


def request_actor(request: HttpRequest) -> Actor:
    """The signed-in user of a request, for passing to services."""
    user = request.user
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionDenied
    return user
