from orgs.models import Notification
from tests.conftest import PERSONA_SPECS
from tests.matrix import ANONYMOUS, Row

EVERYONE = list(PERSONA_SPECS)


def _notice_of_reporter(p):
    notice, _ = Notification.objects.get_or_create(
        recipient=p.reporter, dedupe_key="matrix", defaults={"event": "test", "text": "测试通知", "url": "/"}
    )
    return f"/notifications/{notice.pk}/read/"


ROWS = [
    Row("home", lambda p: "/", {name: 200 for name in EVERYONE}),
    Row("login", lambda p: "/accounts/login/", {ANONYMOUS: 200} | {name: 302 for name in EVERYONE}),
    Row("logout", lambda p: "/accounts/logout/", {name: 302 for name in EVERYONE}, method="post"),
    Row("password_change", lambda p: "/accounts/password/", {name: 200 for name in EVERYONE}),
    Row("password_change_done", lambda p: "/accounts/password/done/", {name: 200 for name in EVERYONE}),
    Row("orgs:notifications", lambda p: "/notifications/", {name: 200 for name in EVERYONE}),
    # Only the recipient may open a notice; for anyone else it does not exist.
    Row(
        "orgs:notification_read",
        _notice_of_reporter,
        {"reporter": 302},
        default=404,
        method="post",
    ),
]
