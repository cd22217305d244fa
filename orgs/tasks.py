from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from .media import sweep
from .models import Notification


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_notification_email(notification_id: int) -> None:
    # Claim the notice first: a redelivered task finds it claimed and sends nothing twice.
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return
    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notice.recipient.email:
        send_mail(f"【双鸭山市政务平台】{notice.text[:60]}", notice.text, None, [notice.recipient.email])


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export(job_id: int) -> None:
    from .exporting import export_run

    export_run(job_id)


@shared_task(acks_late=True)
def sweep_orphan_media() -> int:
    """Daily: remove uploads whose rows were rolled back (see ``orgs.media``)."""
    return len(sweep())
