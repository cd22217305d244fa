from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def flag_unacknowledged_handovers() -> int:
    """Daily: flag hand-overs past their acknowledgement day (idempotent — each is flagged once)."""
    return services.handovers_flag_overdue()
