"""Who may change participation records: the staff of the project's community, and the street
or district staff above it; department staff only read. Another area's record does not exist
for the actor (a 404, never a 403 that would confirm it exists)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from doorstep.core.types import Actor
from doorstep.places import access
from doorstep.places.models import Community
from doorstep.places.selectors import communities_for

from .models import Meeting, PracticalList, PracticalThing, Project


def check_can_edit(
    actor: Actor, community: Community, permission: str = "participation.edit"
) -> None:
    """Adopting a year's list (``participation.adopt``) is the committee's decision: the
    secretary/director signs it off; other edits are for any staff of the area but departments."""
    access.require(actor, permission, _("您的岗位无权进行此操作。"))
    if not access.in_area(actor, community):
        raise PermissionDenied(_("该社区不在您的辖区。"))


def projects_in_area(actor: Actor) -> QuerySet[Project]:
    return Project.objects.filter(community__in=communities_for(actor))


def project_lock(actor: Actor, project_id: int) -> Project:
    """The project row, locked for this transaction, if the actor may change it."""
    project = projects_in_area(actor).select_for_update().get(pk=project_id)
    check_can_edit(actor, project.community)
    return project


def meeting_lock(actor: Actor, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("project")
        .get(pk=meeting_id, project__community__in=communities_for(actor))
    )
    check_can_edit(actor, meeting.project.community)
    return meeting


def plan_lock(actor: Actor, plan_id: int) -> PracticalList:
    plan = PracticalList.objects.select_for_update().get(
        pk=plan_id, community__in=communities_for(actor)
    )
    check_can_edit(actor, plan.community)
    return plan


def thing_lock(actor: Actor, thing_id: int) -> PracticalThing:
    """Lock the list first, then the thing: every writer takes them in this order, so two
    updates on one list cannot deadlock and the list's rollup never misses one of them."""
    plan_id = (
        PracticalThing.objects.filter(pk=thing_id, plan__community__in=communities_for(actor))
        .values_list("plan_id", flat=True)
        .get()
    )
    plan_lock(actor, plan_id)
    return PracticalThing.objects.select_for_update().select_related("plan").get(pk=thing_id)
