"""Plain model factories for the workdays tests."""

from __future__ import annotations

from django.contrib.auth.models import User

from doorstep.places.models import District, StaffProfile, Street


def make_district(name: str = "浦东新区") -> District:
    district, _created = District.objects.get_or_create(name=name)
    return district


def make_user(username: str, role: str | None = None, district: District | None = None) -> User:
    user = User.objects.create_user(username=username)  # no password: fast, force_login
    if role is not None:
        district = district or make_district()
        street = None
        if role == "street":
            street, _created = Street.objects.get_or_create(district=district, name="张江镇")
        StaffProfile.objects.create(
            user=user, role=role, display_name=username, district=district, street=street
        )
    return user
