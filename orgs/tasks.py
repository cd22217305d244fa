"""The orgs app's Celery tasks. The e-mail of a notice and the export job are defined next to the code that
queues them (``notifications``, ``exporting``), so that neither imports this module; they are imported here,
where the worker looks for tasks."""

from celery import shared_task

from .exporting import run_export  # noqa: F401
from .media import sweep
from .notifications import send_notification_email  # noqa: F401


@shared_task(acks_late=True)
def sweep_orphan_media() -> int:
    """Daily: remove uploads whose rows were rolled back (see ``orgs.media``)."""
    return len(sweep())
