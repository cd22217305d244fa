"""The one notification hub: services call ``notify``; views and services never send mail themselves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from .models import Notification, Organization


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
    from .tasks import send_notification_email

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
