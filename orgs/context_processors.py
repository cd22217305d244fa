from .menu import sections_for
from .models import Notification


def navigation(request):
    # Counted once per request: django-tables2 renders its template with the request's context processors
    # again, and the navigation must not cost a second query there.
    unread = getattr(request, "_unread_notifications", None)
    if unread is None:
        unread = 0
        if request.user.is_authenticated:
            unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
        request._unread_notifications = unread
    return {"nav_sections": sections_for(request.user), "unread_notifications": unread}
