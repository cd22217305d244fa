"""The 审计管理员's daily export: the day's audit records and the chain's anchor (GB/T 22239-2019 8.1.4.3 c)).

Built by the export worker for each 审计管理员 (``security.tasks.export_audit_day``); the notice and its
e-mail name the anchor (sequence number and MAC), so the head of the chain also sits in a mailbox that no
database or server administrator of the platform holds. ``audit_verify --anchor-seq N --anchor-mac M`` checks
the trail against that copy.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from orgs import exporting, xlsx

from .models import AuditEvent
from .permissions import can_read_audit

TITLE = "审计记录日报 {day}（锚点 #{seq}，MAC {mac}）"
RECORD_HEADER = ["序号", "时间", "类别", "用户名", "单位", "地址", "对象", "说明", "MAC"]
ANCHOR_HEADER = ["项目", "内容"]
NOT_AN_AUDITOR = "只有审计管理员能收到审计记录日报。"


def _day_events(day: date):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return AuditEvent.objects.filter(at__gte=start, at__lt=start + timedelta(days=1)).order_by("seq")


def _record_rows(day: date):
    for event in _day_events(day).iterator(chunk_size=2000):
        yield [
            event.seq,
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            event.get_kind_display(),
            event.username,
            event.organization,
            event.ip,
            event.target,
            event.detail,
            event.mac,
        ]


def anchor_rows(params: dict) -> list[list]:
    return [
        ANCHOR_HEADER,
        ["锚定时间", params["anchored_at"]],
        ["链头序号", params["seq"]],
        ["链头 MAC", params["mac"]],
        ["应保留的最早序号", params["first"]],
        ["锚点行 MAC", params["line_mac"]],
        [
            "核对方法",
            f"python manage.py audit_verify --anchor-seq {params['seq']} --anchor-mac {params['mac']}",
        ],
    ]


def _build(params, user, path, progress) -> None:
    if not can_read_audit(user):
        raise PermissionError(NOT_AN_AUDITOR)
    day = date.fromisoformat(params["day"])
    records = xlsx.Sheet(
        "审计记录",
        itertools.chain([RECORD_HEADER], _record_rows(day)),
        widths=(8, 20, 14, 14, 24, 16, 40, 60, 66),
        title=f"审计记录 {day:%Y-%m-%d}",
        status=f"接收人 {user.get_username()} · 锚点 #{params['seq']}",
        formats=(xlsx.INTEGER,),
    )
    anchor = xlsx.Sheet(
        "锚点", anchor_rows(params), widths=(18, 90), counts_progress=False, title="审计链锚点"
    )
    xlsx.write_workbook(path, [records, anchor], progress)


def _title(params) -> str:
    return TITLE.format(day=params["day"], seq=params["seq"], mac=params["mac"])


DAILY = exporting.register(
    "security.audit_day",
    title=_title,
    build=_build,
    count=lambda params, user: _day_events(date.fromisoformat(params["day"])).count(),
    filename=lambda params: f"audit-{params['day']}-anchor-{params['seq']}",
)
