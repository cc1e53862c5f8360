"""Template context: the signed-in staff member's profile."""

from django.http import HttpRequest

from doorstep.places.selectors import staff_profile


def staff(request: HttpRequest) -> dict[str, object]:
    return {"staff": staff_profile(request.user)}
