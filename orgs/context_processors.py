from .models import Notification

NAVIGATION = [
    ("awards:index", "百大项目奖励"),
    ("investment:index", "招商引资考核"),
    ("chiefservice:index", "企业首席服务员"),
    ("sprouts:index", "豆芽质量安全监管"),
]


def navigation(request):
    # Counted once per request: django-tables2 renders its template with the request's context processors
    # again, and the navigation must not cost a second query there.
    unread = getattr(request, "_unread_notifications", None)
    if unread is None:
        unread = 0
        if request.user.is_authenticated:
            unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
        request._unread_notifications = unread
    return {"nav_sections": NAVIGATION, "unread_notifications": unread}
