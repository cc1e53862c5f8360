"""Template context: the signed-in staff member's profile and their navigation menu."""

from django.http import HttpRequest

from doorstep.places.menu import menu_for
from doorstep.places.selectors import staff_profile


def staff(request: HttpRequest) -> dict[str, object]:
    profile = staff_profile(request.user)
    menu = menu_for(profile.role, request.path) if profile is not None else []
    return {"staff": profile, "staff_menu": menu}
