"""Shared type names."""

from collections.abc import Callable

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


# A JSON object as an API handler builds it before ninja validates it against the response
# schema: the values are of many types (str, int, date, nested lists), so `object`, not `Any`.
JsonObject = dict[str, object]

# Where a loader writes its progress lines (`print` by default, the command's stdout in a command).
Log = Callable[[str], object]
