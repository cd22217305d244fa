from orgs.exporting import export_request, export_run
from orgs.models import ExportJob, Notification
from tests.conftest import PERSONA_SPECS
from tests.matrix import ANONYMOUS, Row

EVERYONE = list(PERSONA_SPECS)


def _notice_of_reporter(p):
    notice, _ = Notification.objects.get_or_create(
        recipient=p.reporter, dedupe_key="matrix", defaults={"event": "test", "text": "测试通知", "url": "/"}
    )
    return f"/notifications/{notice.pk}/read/"


def _export_of_reporter(p, suffix=""):
    job = ExportJob.objects.filter(requested_by=p.reporter, kind="orgs.directory").first()
    if job is None:
        job = export_request(kind="orgs.directory", params={}, by=p.reporter)
        export_run(job.pk)  # the worker's part: on_commit never fires inside the test's transaction
    return f"/exports/{job.pk}/{suffix}"


ROWS = [
    Row("home", lambda p: "/", {name: 200 for name in EVERYONE}),
    Row("favicon", lambda p: "/favicon.ico", {ANONYMOUS: 301} | {name: 301 for name in EVERYONE}),
    Row("login", lambda p: "/accounts/login/", {ANONYMOUS: 200} | {name: 302 for name in EVERYONE}),
    Row("logout", lambda p: "/accounts/logout/", {name: 302 for name in EVERYONE}, method="post"),
    Row("password_change", lambda p: "/accounts/password/", {name: 200 for name in EVERYONE}),
    Row("password_change_done", lambda p: "/accounts/password/done/", {name: 200 for name in EVERYONE}),
    Row("orgs:notifications", lambda p: "/notifications/", {name: 200 for name in EVERYONE}),
    Row("orgs:export_list", lambda p: "/exports/", {name: 200 for name in EVERYONE}),
    # An export belongs to the user who asked for it; for anyone else it does not exist.
    Row("orgs:export_detail", _export_of_reporter, {"reporter": 200}, default=404),
    Row("orgs:export_status", lambda p: _export_of_reporter(p, "status/"), {"reporter": 200}, default=404),
    Row(
        "orgs:export_download", lambda p: _export_of_reporter(p, "download/"), {"reporter": 200}, default=404
    ),
    # Only the recipient may open a notice; for anyone else it does not exist.
    Row(
        "orgs:notification_read",
        _notice_of_reporter,
        {"reporter": 302},
        default=404,
        method="post",
    ),
]
