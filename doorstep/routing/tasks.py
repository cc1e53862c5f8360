"""Background work of the routing area, on the project's task queue (django-tasks, database
backend; `doorstep worker` runs what is queued). A web request only enqueues."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def routing_retrain_task(actor_id: int | None = None) -> int | None:
    """重新训练: the district admin asked for a new model; returns the new model's id (None
    when another training ran at the same moment or there is nothing to learn from)."""
    from .services import routing_retrain

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    model = routing_retrain(actor=actor)
    return model.pk if model else None
