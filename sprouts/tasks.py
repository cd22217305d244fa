from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_overdue_handovers() -> int:
    """Daily: remind both offices of hand-overs past their acknowledgement day (each reminded once). Pages
    never read what this writes: overdue is computed when read."""
    return services.handovers_remind_overdue()
