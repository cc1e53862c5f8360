"""Retraining from the admin page goes on the task queue, not into a thread of the request."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from doorstep.conftest import World, build_world
from doorstep.routing.models import RoutingModel
from doorstep.routing.tasks import routing_retrain_task


@pytest.fixture
def model_path(settings: Any, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_PATH = tmp_path / "live.joblib"
    return Path(settings.ROUTING_MODEL_PATH)


# The task queue's worker takes its own (exclusive) transactions, as it does in production.
@pytest.mark.django_db(transaction=True)
def test_the_admin_page_enqueues_one_retraining_and_the_worker_runs_it(
    client: Client, model_path: Path
) -> None:
    world = build_world()
    client.force_login(world.district_user)
    first = client.post("/desk/routing/", follow=True)
    assert "已开始重新训练" in first.content.decode()
    queued = DBTaskResult.objects.get(task_path=routing_retrain_task.module_path)
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"] == {"actor_id": world.district_user.pk}
    assert not RoutingModel.objects.exists()  # nothing ran inside the request

    again = client.post("/desk/routing/", follow=True)
    assert "已有训练在进行中" in again.content.decode()
    assert DBTaskResult.objects.count() == 1

    call_command("worker", "--batch", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    model = RoutingModel.objects.get()
    assert model_path.exists()
    assert queued.return_value == model.pk


def test_other_roles_cannot_enqueue(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    assert client.post("/desk/routing/").status_code == 403
    assert not DBTaskResult.objects.exists()
