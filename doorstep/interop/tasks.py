"""Background tasks (django-tasks, database backend; `doorstep worker` runs them)."""

from django.utils import timezone
from django_tasks import task


@task()
def send_notification(notification_id: int) -> str:
    """One attempt; a failure queues the next attempt after its back-off."""
    from .models import Notification
    from .services import notification_deliver

    outcome = notification_deliver(notification_id)
    if outcome == "retry":
        notice = Notification.objects.get(pk=notification_id)
        run_after = max(notice.next_attempt_at, timezone.now())
        send_notification.using(run_after=run_after).enqueue(notification_id)
    return outcome
