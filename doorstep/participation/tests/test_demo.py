"""The demo loader runs through the services and a second run changes nothing."""

from doorstep.conftest import World
from doorstep.participation.choices import Stage
from doorstep.participation.demo import PARK, load_demo
from doorstep.participation.models import Meeting, PracticalList, PracticalThing, Project


def test_demo_loads_the_micro_park_and_ten_things_once(world: World) -> None:
    world.a.name = "张骞社区"
    world.a.save()
    load_demo(lambda _: None)
    park = Project.objects.get(title=PARK)
    assert park.stage == Stage.EVALUATED
    assert park.meetings.filter(status="closed").count() == 3
    assert park.score_count == 24 and park.spent > 0
    assert PracticalThing.objects.filter(plan__community=world.a).count() == 10
    counts = (Project.objects.count(), Meeting.objects.count(), PracticalList.objects.count())
    load_demo(lambda _: None)
    assert (
        Project.objects.count(),
        Meeting.objects.count(),
        PracticalList.objects.count(),
    ) == counts
