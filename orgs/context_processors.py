from django.contrib.auth.models import AnonymousUser

from .menu import sections_for
from .models import Notification


def navigation(request):
    # Counted once per request: django-tables2 renders its template with the request's context processors
    # again, and the navigation must not cost a second query there.
    # No user at all when a request is refused before AuthenticationMiddleware ran: a foreign Host header
    # (CommonMiddleware's DisallowedHost) renders the 400 page with this context, anonymously.
    user = getattr(request, "user", None) or AnonymousUser()
    unread = getattr(request, "_unread_notifications", None)
    if unread is None:
        unread = 0
        if user.is_authenticated:
            unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        request._unread_notifications = unread
    return {"nav_sections": sections_for(user), "unread_notifications": unread}
