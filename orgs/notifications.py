"""The one notification hub: services call ``notify``; views and services never send mail themselves."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, Organization
from .validators import NOT_INTERNAL, is_internal_path


def recipients(*, roles: tuple[str, ...] = (), organization: Organization | None = None, users=()):
    """Active users holding any of ``roles`` (within ``organization`` if given), plus ``users``."""
    user_model = get_user_model()
    found = {u.pk: u for u in users}
    if roles:
        qs = user_model.objects.filter(is_active=True, groups__name__in=roles)
        if organization is not None:
            qs = qs.filter(membership__organization=organization)
        for user in qs.distinct():
            found.setdefault(user.pk, user)
    return list(found.values())


def notify(
    event: str,
    *,
    text: str,
    url: str = "",
    key: str,
    roles: tuple[str, ...] = (),
    organization: Organization | None = None,
    users=(),
    exclude=None,
) -> list[Notification]:
    """Write one in-app notice per recipient and queue its e-mail after the transaction commits.

    ``key`` identifies the occurrence (e.g. ``"allocation:12:approved"``): the same key never notifies
    the same person twice, so a retried task or a re-sent form is harmless.
    """
    if url and not is_internal_path(url):
        # A notice's link is followed with the reader's session: never to another site or a script.
        raise ValueError(f"{NOT_INTERNAL} {url!r}")
    created = []
    for user in recipients(roles=roles, organization=organization, users=users):
        if exclude is not None and user.pk == exclude.pk:
            continue
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=user, event=event, text=text[:300], url=url, dedupe_key=f"{event}:{key}"[:200]
                )
        except IntegrityError:
            continue
        created.append(notice)
        transaction.on_commit(lambda pk=notice.pk: send_notification_email.delay(pk))
    return created


@shared_task(name="orgs.tasks.send_notification_email", acks_late=True, reject_on_worker_lost=True)
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
