from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A staff member's post. Scope follows from the role and the area the account belongs to."""

    DESK = "desk", _("全岗社工（前台）")
    GRID = "grid", _("网格员")
    SECRETARY = "secretary", _("书记/主任")
    STREET = "street", _("街道工作人员")
    DEPARTMENT = "department", _("职能部门工作人员")
    DISTRICT = "district", _("区级管理员")


def __getattr__(name: str) -> set[Role]:
    """``COMMUNITY_ROLES`` moved to ``places.access`` (the one role-set definition); the
    programmes still import it from here until they move to their own apps."""
    if name == "COMMUNITY_ROLES":
        from .access import COMMUNITY_ROLES

        return {Role(role) for role in COMMUNITY_ROLES}
    raise AttributeError(name)


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class StationKind(models.TextChoices):
    DOORSTEP = "doorstep", _("家门口服务站")
    NEIGHBOURHOOD = "neighbourhood", _("邻里服务站")
