"""Periodic jobs of the investment app (listed in settings.CELERY_BEAT_SCHEDULE); thin: they call services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_self_evaluation_due() -> int:
    """Before the 自评申报 deadline, remind the units that have not submitted (idempotent per day)."""
    return services.remind_self_evaluation(today=timezone.localdate())
