"""Celery beat reminders (config/settings.py CELERY_BEAT_SCHEDULE); thin: they call ``reminders``."""

from celery import shared_task

from . import reminders


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_monthly_ledger_due() -> int:
    return reminders.monthly_ledger_due()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_quarterly_meeting_and_article_due() -> int:
    return reminders.quarterly_meeting_and_article_due()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_assignment_due() -> int:
    return reminders.assignment_due()
