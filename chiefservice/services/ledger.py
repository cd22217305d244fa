"""Ledger entries and their states, monthly reports, meetings, articles and surveys (第十五条–第二十七条)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orgs.models import Organization
from orgs.notifications import notify
from orgs.roles import Role
from orgs.workflow import guarded_write, require, serialised, transition

from .. import permissions, rules, workflow
from ..models import (
    CLOSED_BEFORE_RECEIVED,
    AgendaItem,
    LedgerEntry,
    LedgerLog,
    LedgerStatus,
    Meeting,
    MonthlyReport,
    MonthlyReportRow,
    NewsArticle,
    Officer,
    SatisfactionSurvey,
    ServedSubject,
    report_due_on,
)
from .common import (
    ENTRY_NOT_ESCALATED,
    NOT_YOUR_UNIT,
    OFFICER_INACTIVE,
    REPORT_ALREADY_SUBMITTED,
    REPORT_FUTURE_MONTH,
    RESOLUTION_REQUIRED,
    _business_office_url,
    _require,
    _stamp,
    _sync,
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
    require(permissions.can_record_ledger(by))
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


def _ledger_step(entry: LedgerEntry, step, *, by, decision, note: str = "", extra=None) -> LedgerEntry:
    """Refuse with the page's reason, then the conditional UPDATE and its history row, then the log row."""
    require(decision)
    return _sync(entry, transition(entry, step, by=by, extra=extra, note=note, log=_ledger_log))


def _ledger_log(current: LedgerEntry, *, step, by, before: str, note: str) -> None:
    LedgerLog.objects.create(entry=current, by=by, from_status=before, to_status=current.status, note=note)


@serialised
@transaction.atomic
def ledger_entry_start(*, entry: LedgerEntry, by, note: str = "") -> LedgerEntry:
    """第十五条: 待办理 → 办理中, by the officer or the unit's 填报员."""
    return _ledger_step(entry, workflow.START, by=by, decision=permissions.can_start(by, entry), note=note)


@serialised
@transaction.atomic
def ledger_entry_escalate(*, entry: LedgerEntry, by, note: str = "") -> LedgerEntry:
    """第十七条: 待办理 / 办理中 → 已提交会商; 营商办 is notified to put it on a 会商 meeting's agenda."""
    current = _ledger_step(
        entry, workflow.ESCALATE, by=by, decision=permissions.can_escalate(by, entry), note=note
    )
    officer = current.officer
    notify(
        "chiefservice.escalated",
        text=f"{officer.unit.name}{officer.name}报请会商：{current.subject.name}——{current.description[:60]}",
        url=_business_office_url("ledger_detail", current.pk),
        key=f"ledger:{current.pk}:escalated",
        roles=(Role.BUSINESS_OFFICE,),
    )
    return current


@serialised
@transaction.atomic
def ledger_entry_resolve(
    *,
    entry: LedgerEntry,
    by,
    resolution: str = "",
    note: str = "",
    satisfaction: str = "",
    closed_on: date | None = None,
) -> LedgerEntry:
    """第二十一条 销号清零, with the result: by the unit, or by 营商办 after the 会商 meeting (第十七条)."""
    decision = permissions.can_resolve(by, entry)
    require(decision)
    if not (resolution or "").strip():
        raise ValidationError({"resolution": RESOLUTION_REQUIRED})
    closed_on = closed_on or timezone.localdate()
    if closed_on < entry.received_on:
        raise ValidationError({"closed_on": CLOSED_BEFORE_RECEIVED})
    # The model's rules on the entry as the step will leave it (no date after today; after a 会商, not before
    # its decision): the step itself is a conditional UPDATE, so they are checked here first.
    closing = LedgerEntry.objects.get(pk=entry.pk)
    closing.closed_on, closing.resolution = closed_on, resolution
    closing.clean()
    return _ledger_step(
        entry,
        workflow.ledger_step("resolve", entry.status),
        by=by,
        decision=decision,
        note=note,
        extra={"resolution": resolution, "closed_on": closed_on, "satisfaction": satisfaction or ""},
    )


# ---------------------------------------------------------------------------------------------------------
# Monthly report (第二十一条)
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def monthly_report_generate(*, unit: Organization, year: int, month: int, by) -> MonthlyReport:
    require(permissions.can_generate_report(by))
    _require(acts_for_unit(by, unit), NOT_YOUR_UNIT)
    if rules.month_bounds(year, month)[0] > timezone.localdate():
        raise ValidationError(REPORT_FUTURE_MONTH)
    report = MonthlyReport.objects.filter(unit=unit, year=year, month=month).first()
    if report is None:
        report = MonthlyReport(unit=unit, year=year, month=month, due_on=report_due_on(year, month))
        report.full_clean()
        _stamp(report, by)
        report.save()
    return report


@transaction.atomic
def monthly_report_submit(*, report: MonthlyReport, by) -> MonthlyReport:
    """第二十一条: the month as it stood at its end, written down now; later changes of the ledger leave it."""
    from ..selectors import month_rows, month_summary

    require(permissions.can_submit_report(by, report))
    now = timezone.now()
    checked = MonthlyReport(unit=report.unit, year=report.year, month=report.month, due_on=report.due_on)
    checked.submitted_at = now
    checked.clean()  # from the month's last day
    summary = month_summary(unit=report.unit, year=report.year, month=report.month)
    guarded_write(
        report,
        by=by,
        reason="报送",
        expect={"submitted_at__isnull": True},
        values={
            "submitted_at": now,
            "submitted_by": by,
            "carried_over": summary["carried_over"],
            "new": summary["new"],
            "closed": summary["closed"],
            "open_at_end": summary["open_at_end"],
        },
        missed=REPORT_ALREADY_SUBMITTED,
    )
    MonthlyReportRow.objects.bulk_create(
        MonthlyReportRow(report_id=report.pk, **row)
        for row in month_rows(unit=report.unit, year=report.year, month=report.month)
    )
    report.refresh_from_db()
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
    require(permissions.can_record_meeting(by))
    meeting = Meeting(kind=kind, held_on=held_on, title=title, summary=summary, created_by=by)
    meeting.full_clean()
    _stamp(meeting, by)
    meeting.save()
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, by, topic: str, decision: str = "", entry: LedgerEntry | None = None
) -> AgendaItem:
    require(permissions.can_add_agenda_item(by, meeting))
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
    require(permissions.can_record_decision(by, item))
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
    require(permissions.can_record_article(by))
    _require(may_record_for(by, officer), NOT_YOUR_UNIT)
    article = NewsArticle(officer=officer, created_by=by, **fields)
    article.full_clean()
    _stamp(article, by)
    article.save()
    return article


@transaction.atomic
def survey_create(*, by, officer: Officer, subject: ServedSubject, **fields) -> SatisfactionSurvey:
    require(permissions.can_record_survey(by))
    survey = SatisfactionSurvey(officer=officer, subject=subject, created_by=by, **fields)
    survey.full_clean()
    _stamp(survey, by)
    survey.save()
    return survey
