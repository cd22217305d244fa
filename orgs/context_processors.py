from .models import Notification

NAVIGATION = [
    ("awards:index", "百大项目奖励"),
    ("investment:index", "招商引资考核"),
    ("chiefservice:index", "企业首席服务员"),
    ("sprouts:index", "豆芽质量安全监管"),
]


def navigation(request):
    user = request.user
    unread = 0
    if user.is_authenticated:
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"nav_sections": NAVIGATION, "unread_notifications": unread}
