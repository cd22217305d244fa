"""Ledger entries and their states, monthly reports, meetings, articles and surveys (第十五条–第二十七条)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orgs.models import Organization
from orgs.notifications import notify
from orgs.roles import Role, has_role

from .. import permissions, rules
from ..models import (
    CLOSED_BEFORE_RECEIVED,
    AgendaItem,
    LedgerEntry,
    LedgerLog,
    LedgerStatus,
    Meeting,
    MonthlyReport,
    NewsArticle,
    Officer,
    SatisfactionSurvey,
    ServedSubject,
)
from .common import (
    ENTRY_NOT_ESCALATED,
    LEDGER_ACTIONS,
    NOT_YOUR_UNIT,
    OFFICER_INACTIVE,
    ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED,
    REPORT_ALREADY_SUBMITTED,
    REPORT_FUTURE_MONTH,
    RESOLUTION_REQUIRED,
    STALE_STATE,
    TRANSITION_NOT_ALLOWED,
    _allowed,
    _business_office_url,
    _require,
    _stamp,
    acts_for_unit,
    may_record_for,
)

DECISION_REQUIRED = "请填写会商决定事项。"


# ---------------------------------------------------------------------------------------------------------
# Ledger
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def ledger_entry_create(
    *, by, officer: Officer, subject: ServedSubject, co_units=(), due_on: date | None = None, **fields
) -> LedgerEntry:
    """第十五条 首受责任制: a request outside the officer's duty is still taken, and routed to co-units."""
    _require(may_record_for(by, officer), NOT_YOUR_UNIT)
    _require(officer.is_active, OFFICER_INACTIVE)
    co_units = list(co_units)
    if not fields.get("within_own_duty", True) and not co_units:
        raise ValidationError({"co_units": rules.OUTSIDE_DUTY_NEEDS_ROUTING})
    fields.setdefault("first_receiving_unit", officer.unit)
    received_on = fields["received_on"]
    entry = LedgerEntry(
        officer=officer,
        subject=subject,
        created_by=by,
        due_on=due_on or received_on + timedelta(days=rules.LEDGER_DEFAULT_DAYS),
        **fields,
    )
    entry.full_clean()
    _stamp(entry, by)
    entry.save()
    entry.co_units.set(co_units)
    LedgerLog.objects.create(
        entry=entry, by=by, from_status=LedgerStatus.OPEN, to_status=LedgerStatus.OPEN, note="登记"
    )
    for unit in co_units:
        notify(
            "chiefservice.routed",
            text=f"{officer.unit.name}转办/协办：{subject.name}——{entry.description[:60]}",
            url=_business_office_url("ledger_detail", entry.pk),
            key=f"ledger:{entry.pk}:routed:{unit.pk}",
            roles=(Role.REPORTER,),
            organization=unit,
        )
    return entry


@transaction.atomic
def ledger_entry_transition(
    *,
    entry: LedgerEntry,
    action: str,
    by,
    note: str = "",
    resolution: str = "",
    satisfaction: str = "",
    closed_on: date | None = None,
) -> LedgerEntry:
    """open → in progress → 销号, or → escalated to a 会商 meeting, which 营商办 closes (第十七条, 第二十一条)."""
    sources, target = LEDGER_ACTIONS[action]
    source = entry.status
    if source not in sources:
        raise ValidationError(TRANSITION_NOT_ALLOWED.format(status=entry.get_status_display()))
    if source == LedgerStatus.ESCALATED:
        _require(has_role(by, Role.BUSINESS_OFFICE, Role.ADMIN), ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED)
    else:
        _require(may_record_for(by, entry.officer), NOT_YOUR_UNIT)
    changes = {"status": target}
    if target == LedgerStatus.RESOLVED:
        if not resolution.strip():
            raise ValidationError({"resolution": RESOLUTION_REQUIRED})
        closed_on = closed_on or timezone.localdate()
        if closed_on < entry.received_on:
            raise ValidationError({"closed_on": CLOSED_BEFORE_RECEIVED})
        changes |= {"resolution": resolution, "closed_on": closed_on, "satisfaction": satisfaction}
    updated = LedgerEntry.objects.filter(pk=entry.pk, status=source).update(**changes)
    _require(updated == 1, STALE_STATE)
    entry.refresh_from_db()
    _stamp(entry, by)
    entry.save(update_fields=list(changes))  # history row with the acting user
    LedgerLog.objects.create(entry=entry, by=by, from_status=source, to_status=target, note=note)
    if target == LedgerStatus.ESCALATED:
        notify(
            "chiefservice.escalated",
            text=f"{entry.officer.unit.name}{entry.officer.name}报请会商：{entry.subject.name}——{entry.description[:60]}",
            url=_business_office_url("ledger_detail", entry.pk),
            key=f"ledger:{entry.pk}:escalated",
            roles=(Role.BUSINESS_OFFICE,),
        )
    return entry


# ---------------------------------------------------------------------------------------------------------
# Monthly report (第二十一条)
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def monthly_report_generate(*, unit: Organization, year: int, month: int, by) -> MonthlyReport:
    _require(acts_for_unit(by, unit), NOT_YOUR_UNIT)
    if rules.month_bounds(year, month)[0] > timezone.localdate():
        raise ValidationError(REPORT_FUTURE_MONTH)
    report = MonthlyReport.objects.filter(unit=unit, year=year, month=month).first()
    if report is None:
        report = MonthlyReport(
            unit=unit, year=year, month=month, due_on=rules.monthly_report_due_on(year, month)
        )
        report.full_clean()
        _stamp(report, by)
        report.save()
    return report


@transaction.atomic
def monthly_report_submit(*, report: MonthlyReport, by) -> MonthlyReport:
    from ..selectors import month_summary

    _allowed(permissions.can_submit_report(by, report))
    summary = month_summary(unit=report.unit, year=report.year, month=report.month)
    updated = MonthlyReport.objects.filter(pk=report.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now(),
        submitted_by=by,
        carried_over=summary["carried_over"],
        new=summary["new"],
        closed=summary["closed"],
        open_at_end=summary["open_at_end"],
    )
    _require(updated == 1, REPORT_ALREADY_SUBMITTED)
    report.refresh_from_db()
    _stamp(report, by)
    report.save()
    notify(
        "chiefservice.report_submitted",
        text=f"{report.unit.name}报送{report.year}年{report.month}月首席服务员工作台账",
        url=_business_office_url("report_detail", report.pk),
        key=f"report:{report.pk}:submitted",
        roles=(Role.BUSINESS_OFFICE,),
    )
    return report


# ---------------------------------------------------------------------------------------------------------
# Meetings (第十七条) and articles (第二十四条)
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def meeting_create(*, by, kind: str, held_on: date, title: str, summary: str = "") -> Meeting:
    meeting = Meeting(kind=kind, held_on=held_on, title=title, summary=summary, created_by=by)
    meeting.full_clean()
    _stamp(meeting, by)
    meeting.save()
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, by, topic: str, decision: str = "", entry: LedgerEntry | None = None
) -> AgendaItem:
    _allowed(permissions.can_add_agenda_item(by, meeting))
    if entry is not None and entry.status != LedgerStatus.ESCALATED:
        raise ValidationError({"entry": ENTRY_NOT_ESCALATED})
    item = AgendaItem(
        meeting=meeting,
        entry=entry,
        topic=topic or (entry.description[:200] if entry else ""),
        decision=decision,
    )
    if decision.strip():
        item.decided_at, item.decided_by = timezone.now(), by
    item.full_clean()
    _stamp(item, by)
    item.save()
    return item


@transaction.atomic
def agenda_item_decide(*, item: AgendaItem, by, decision: str) -> AgendaItem:
    """第十七条: a meeting's decision, recorded after the meeting and corrected later; each version is kept."""
    _allowed(permissions.can_record_decision(by, item))
    if not decision.strip():
        raise ValidationError({"decision": DECISION_REQUIRED})
    item.decision = decision
    item.decided_at, item.decided_by = timezone.now(), by
    item.full_clean()
    _stamp(item, by)
    item.save(update_fields=["decision", "decided_at", "decided_by"])  # a history row with the acting user
    return item


@transaction.atomic
def article_create(*, by, officer: Officer, **fields) -> NewsArticle:
    _require(may_record_for(by, officer), NOT_YOUR_UNIT)
    article = NewsArticle(officer=officer, created_by=by, **fields)
    article.full_clean()
    _stamp(article, by)
    article.save()
    return article


@transaction.atomic
def survey_create(*, by, officer: Officer, subject: ServedSubject, **fields) -> SatisfactionSurvey:
    survey = SatisfactionSurvey(officer=officer, subject=subject, created_by=by, **fields)
    survey.full_clean()
    _stamp(survey, by)
    survey.save()
    return survey
