"""The reminders behind the beat tasks; idempotent through notify's keys (a rerun notifies no one twice)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from orgs.models import Organization
from orgs.notifications import notify
from orgs.roles import Role

from . import rules
from .models import (
    ArticleCategory,
    Meeting,
    MeetingKind,
    MonthlyReport,
    NewsArticle,
    Officer,
    ServedSubject,
    report_due_on,
)


def monthly_ledger_due(today: date | None = None) -> int:
    """第二十一条: every unit with officers on duty that has not submitted this month's ledger (submitted from
    the month's last day, due by the 5th of the next month)."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    submitted = MonthlyReport.objects.filter(year=year, month=month, submitted_at__isnull=False).values(
        "unit_id"
    )
    units = Organization.objects.filter(service_officers__is_active=True).exclude(pk__in=submitted).distinct()
    sent = 0
    due = report_due_on(year, month)
    for unit in units:
        sent += len(
            notify(
                "chiefservice.ledger_due",
                text=f"请于{due:%m月%d日}前生成并报送{year}年{month}月首席服务员工作台账（第二十一条）",
                url=reverse("chiefservice:report_list"),
                key=f"ledger_due:{unit.pk}:{year}-{month}",
                roles=(Role.REPORTER,),
                organization=unit,
            )
        )
    return sent


def quarterly_meeting_and_article_due(today: date | None = None) -> int:
    """第十七条 a regular meeting per quarter (营商办); 第二十四条 an article per chief (their unit)."""
    today = today or timezone.localdate()
    year, quarter = rules.quarter_of(today)
    first, last = rules.quarter_bounds(year, quarter)
    sent = 0
    if not Meeting.objects.filter(kind=MeetingKind.REGULAR, held_on__gte=first, held_on__lte=last).exists():
        sent += len(
            notify(
                "chiefservice.meeting_due",
                text=f"{year}年第{quarter}季度尚未召开首席服务员例会（第十七条：每季度至少一次）",
                url=reverse("chiefservice:flags"),
                key=f"meeting_due:{year}-{quarter}",
                roles=(Role.BUSINESS_OFFICE,),
            )
        )
    # 第二十四条: the duty of each unit's chief post; liaisons' 工作信息 does not count.
    with_article = NewsArticle.objects.filter(
        year=year, quarter=quarter, category=ArticleCategory.NEWS
    ).values("officer__unit_id")
    missing = (
        Officer.objects.filter(is_active=True, role=rules.CHIEF)
        .exclude(unit_id__in=with_article)
        .select_related("unit", "user")
    )
    by_unit: dict[Organization, list[str]] = {}
    for officer in missing:
        by_unit.setdefault(officer.unit, []).append(officer.name)
    for unit, names in by_unit.items():
        sent += len(
            notify(
                "chiefservice.article_due",
                text=f"{year}年第{quarter}季度新闻宣传稿件未报送：{'、'.join(names[:10])}（第二十四条）",
                url=reverse("chiefservice:flags"),
                key=f"article_due:{unit.pk}:{year}-{quarter}",
                roles=(Role.REPORTER,),
                organization=unit,
            )
        )
    return sent


def assignment_due(today: date | None = None) -> int:
    """第十九条: newly signed contracts still without an officer — a reminder before, a flag after day 15."""
    today = today or timezone.localdate()
    sent = 0
    for subject in ServedSubject.objects.filter(assignment_due_on__isnull=False, assigned_on__isnull=True):
        overdue = rules.assignment_overdue(due_on=subject.assignment_due_on, assigned_on=None, today=today)
        state = "已超期" if overdue else "即将到期"
        sent += len(
            notify(
                "chiefservice.assignment_due",
                text=f"新签约企业“{subject.name}”{state}：须在{subject.assignment_due_on:%Y年%m月%d日}前配置服务员",
                url=reverse("chiefservice:subject_detail", args=[subject.pk]),
                key=f"assignment_due:{subject.pk}:{'overdue' if overdue else 'due'}",
                roles=(Role.BUSINESS_OFFICE,),
            )
        )
    return sent
