"""Every write of the chiefservice app: keyword-only, atomic, validated, with history and notifications."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orgs.access import user_organization
from orgs.models import Organization, OrganizationKind
from orgs.notifications import notify
from orgs.roles import Role, has_role

from . import rules
from .models import (
    AccountabilityCase,
    AgendaItem,
    Assignment,
    CaseStatus,
    LedgerEntry,
    LedgerLog,
    LedgerStatus,
    Meeting,
    MonthlyReport,
    NewsArticle,
    Officer,
    OfficerChange,
    OfficerRole,
    SatisfactionSurvey,
    ServedSubject,
)

NOT_YOUR_UNIT = "只能管理本单位的服务人员和台账。"
OFFICER_INACTIVE = "该人员已不在岗。"
ALREADY_ENDED = "该服务关系已结束。"
STALE_STATE = "状态已被他人更改，请刷新后重试。"
TRANSITION_NOT_ALLOWED = "当前状态“{status}”不能执行此操作。"
RESOLUTION_REQUIRED = "销号须填写办理结果。"
ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED = "已提交会商的事项由营商办销号。"
ENTRY_NOT_ESCALATED = "只有已提交会商的台账事项才能列入会商议程。"
REPORT_ALREADY_SUBMITTED = "本月台账已报送。"
REPORT_FUTURE_MONTH = "不能生成尚未开始月份的台账报告。"
CASE_ALREADY_CLAIMED = "本案已提出免责申请或已作出决定。"
CASE_DECIDED = "本案已作出决定。"
SUBJECT_NOT_VISIBLE = "服务对象不在您的可见范围内。"

# Transitions of a ledger entry: action -> (sources, target).
LEDGER_ACTIONS = {
    "start": ({LedgerStatus.OPEN}, LedgerStatus.IN_PROGRESS),
    "escalate": ({LedgerStatus.OPEN, LedgerStatus.IN_PROGRESS}, LedgerStatus.ESCALATED),
    "resolve": ({LedgerStatus.OPEN, LedgerStatus.IN_PROGRESS, LedgerStatus.ESCALATED}, LedgerStatus.RESOLVED),
}


def _stamp(obj, by) -> None:
    obj._history_user = by


def acts_for_unit(user, unit: Organization) -> bool:
    """A 填报员 of the unit (or an administrator) manages its roster and ledger."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.REPORTER) and user_organization(user) == unit


def may_record_for(user, officer: Officer) -> bool:
    """The unit's 填报员, or the officer in person through the linked account."""
    return acts_for_unit(user, officer.unit) or (officer.user_id is not None and officer.user_id == user.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _business_office_url(name: str, *args) -> str:
    return reverse(f"chiefservice:{name}", args=args)


# ---------------------------------------------------------------------------------------------------------
# Roster
# ---------------------------------------------------------------------------------------------------------
def _check_roster_rules(officer: Officer) -> None:
    error = rules.rank_error(role=officer.role, rank=officer.rank, rank_rules_apply=officer.rank_rules_apply)
    if error:
        raise ValidationError({"rank": error})
    if officer.role == OfficerRole.CHIEF and officer.is_active:
        other = (
            Officer.objects.filter(unit=officer.unit, role=OfficerRole.CHIEF, is_active=True)
            .exclude(pk=officer.pk)
            .first()
        )
        if other is not None:
            raise ValidationError({"role": rules.ONE_CHIEF_PER_UNIT.format(name=other.name)})


@transaction.atomic
def officer_create(*, by, unit: Organization, **fields) -> Officer:
    _require(acts_for_unit(by, unit), NOT_YOUR_UNIT)
    officer = Officer(unit=unit, **fields)
    _check_roster_rules(officer)
    officer.full_clean()
    _stamp(officer, by)
    officer.save()
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, by, **fields) -> Officer:
    _require(acts_for_unit(by, officer.unit), NOT_YOUR_UNIT)
    for name, value in fields.items():
        setattr(officer, name, value)
    _check_roster_rules(officer)
    officer.full_clean()
    _stamp(officer, by)
    officer.save(update_fields=[*fields])
    return officer


def _hand_over(*, previous: Officer, replacement: Officer, on: date, reason: str, by) -> None:
    """End the previous officer's open assignments and continue them with the replacement (第十一条 连续性)."""
    for assignment in Assignment.objects.filter(officer=previous, end_on__isnull=True).select_related(
        "subject"
    ):
        assignment.end_on = on
        assignment.end_reason = reason[:200]
        _stamp(assignment, by)
        assignment.save(update_fields=["end_on", "end_reason"])
        successor = Assignment(
            officer=replacement, subject=assignment.subject, mode=assignment.mode, start_on=on
        )
        if assignment.mode == rules.TASK_FORCE and replacement.role != OfficerRole.CHIEF:
            successor.mode = rules.ONE_TO_ONE
        _stamp(successor, by)
        successor.save()


def _replace(*, previous: Officer, replacement: Officer, by, on: date, reason: str) -> None:
    _require(replacement.unit_id == previous.unit_id and replacement.is_active, rules.REPLACEMENT_SAME_UNIT)
    _require(replacement.pk != previous.pk, rules.REPLACEMENT_IS_SELF)
    was_chief = previous.role == OfficerRole.CHIEF
    updated = Officer.objects.filter(pk=previous.pk, is_active=True).update(is_active=False, ended_on=on)
    _require(updated == 1, OFFICER_INACTIVE)
    previous.refresh_from_db()
    _stamp(previous, by)
    previous.save(update_fields=["is_active", "ended_on"])  # a history row with the acting user
    if was_chief and replacement.role != OfficerRole.CHIEF:
        error = rules.rank_error(
            role=rules.CHIEF, rank=replacement.rank, rank_rules_apply=replacement.rank_rules_apply
        )
        if error:
            raise ValidationError({"replacement": error})
        replacement.role = OfficerRole.CHIEF
        _stamp(replacement, by)
        replacement.save(update_fields=["role"])
    _hand_over(previous=previous, replacement=replacement, on=on, reason=reason, by=by)


@transaction.atomic
def chief_change(
    *, chief: Officer, replacement: Officer, reason: str, by, on: date | None = None
) -> OfficerChange:
    """第十一条: a chief is changed only with a reason, and the change is reported to 营商办."""
    _require(acts_for_unit(by, chief.unit), NOT_YOUR_UNIT)
    _require(chief.role == OfficerRole.CHIEF and chief.is_active, OFFICER_INACTIVE)
    if not (reason or "").strip():
        raise ValidationError({"reason": rules.CHANGE_NEEDS_REASON})
    on = on or timezone.localdate()
    _replace(previous=chief, replacement=replacement, by=by, on=on, reason=reason)
    change = OfficerChange(
        kind=OfficerChange.Kind.CHIEF_CHANGE,
        unit=chief.unit,
        previous=chief,
        replacement=replacement,
        reason=reason,
        changed_on=on,
        reported_at=timezone.now(),
        by=by,
    )
    change.full_clean()
    _stamp(change, by)
    change.save()
    notify(
        "chiefservice.chief_changed",
        text=f"{chief.unit.name}调整首席服务员：{chief.name} → {replacement.name}，原因：{reason}",
        url=_business_office_url("change_list"),
        key=f"change:{change.pk}",
        roles=(Role.BUSINESS_OFFICE,),
    )
    return change


@transaction.atomic
def officer_recall(
    *, officer: Officer, ground: str, replacement: Officer, reason: str, by, on: date | None = None
) -> OfficerChange:
    """第二十五条: recall on one of the five grounds, with the replacement who takes over the subjects."""
    _require(acts_for_unit(by, officer.unit) or has_role(by, Role.BUSINESS_OFFICE), NOT_YOUR_UNIT)
    _require(officer.is_active, OFFICER_INACTIVE)
    if ground not in dict(rules.RECALL_GROUNDS):
        raise ValidationError({"recall_ground": "请选择召回情形。"})
    on = on or timezone.localdate()
    _replace(previous=officer, replacement=replacement, by=by, on=on, reason=reason or "召回")
    change = OfficerChange(
        kind=OfficerChange.Kind.RECALL,
        unit=officer.unit,
        previous=officer,
        replacement=replacement,
        recall_ground=ground,
        reason=reason or dict(rules.RECALL_GROUNDS)[ground],
        changed_on=on,
        reported_at=timezone.now(),
        by=by,
    )
    change.full_clean()
    _stamp(change, by)
    change.save()
    notify(
        "chiefservice.recalled",
        text=f"{officer.unit.name}召回{officer.get_role_display()}{officer.name}，由{replacement.name}接替",
        url=_business_office_url("change_list"),
        key=f"change:{change.pk}",
        roles=(Role.BUSINESS_OFFICE,),
    )
    return change


# ---------------------------------------------------------------------------------------------------------
# Served subjects and assignments
# ---------------------------------------------------------------------------------------------------------
def validate_subject(subject: ServedSubject) -> None:
    subject.credit_code = rules.normalize_credit_code(subject.credit_code)
    if subject.credit_code:
        errors = rules.credit_code_errors(subject.credit_code)
        if errors:
            raise ValidationError({"credit_code": errors})
    elif subject.kind != "prospective":
        raise ValidationError({"credit_code": "除拟投资企业外，须填写统一社会信用代码。"})
    subject.assignment_due_on = (
        rules.assignment_due_on(subject.contract_signed_on) if subject.contract_signed_on else None
    )


OUTSIDE_OWN_DISTRICT = "县（区）只能登记本辖区的服务对象。"


@transaction.atomic
def subject_create(*, by, registered_by: Organization, **fields) -> ServedSubject:
    subject = ServedSubject(registered_by=registered_by, **fields)
    if registered_by.kind == OrganizationKind.COUNTY and subject.district_id != registered_by.pk:
        raise ValidationError({"district": OUTSIDE_OWN_DISTRICT})
    validate_subject(subject)
    subject.full_clean()
    _stamp(subject, by)
    subject.save()
    if subject.assignment_due_on:
        _notify_contract(subject)
    return subject


def _notify_contract(subject: ServedSubject) -> None:
    notify(
        "chiefservice.contract_signed",
        text=f"新签约企业“{subject.name}”须在{subject.assignment_due_on:%Y年%m月%d日}前配置服务员（第十九条）",
        url=_business_office_url("subject_detail", subject.pk),
        key=f"subject:{subject.pk}:contract:{subject.contract_signed_on}",
        roles=(Role.BUSINESS_OFFICE,),
    )


@transaction.atomic
def subject_update(*, subject: ServedSubject, by, **fields) -> ServedSubject:
    old_signed = subject.contract_signed_on
    for name, value in fields.items():
        setattr(subject, name, value)
    validate_subject(subject)
    subject.full_clean()
    _stamp(subject, by)
    subject.save()
    if subject.assignment_due_on and subject.contract_signed_on != old_signed:
        _notify_contract(subject)
    return subject


@transaction.atomic
def assignment_create(
    *, by, subject: ServedSubject, officer: Officer, mode: str, start_on: date, end_on: date | None = None
) -> Assignment:
    _require(acts_for_unit(by, officer.unit) or has_role(by, Role.BUSINESS_OFFICE), NOT_YOUR_UNIT)
    _require(officer.is_active, OFFICER_INACTIVE)
    if end_on and end_on < start_on:
        raise ValidationError({"end_on": rules.END_BEFORE_START})
    other = (
        Assignment.objects.filter(subject=subject, mode=rules.ONE_TO_ONE, end_on__isnull=True)
        .exclude(officer=officer)
        .select_related("officer")
        .first()
    )
    error = rules.assignment_mode_error(
        mode=mode,
        officer_role=officer.role,
        is_key_project=subject.is_key_project,
        other_one_to_one_officer=other.officer.name if other else "",
    )
    if error:
        raise ValidationError({"mode": error})
    assignment = Assignment(subject=subject, officer=officer, mode=mode, start_on=start_on, end_on=end_on)
    assignment.full_clean()
    _stamp(assignment, by)
    assignment.save()
    # The 15-day clock (第十九条) stops at the first assignment; a conditional update keeps the first date.
    ServedSubject.objects.filter(pk=subject.pk, assigned_on__isnull=True).update(assigned_on=start_on)
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, by, end_on: date, reason: str) -> Assignment:
    _require(acts_for_unit(by, assignment.officer.unit) or has_role(by, Role.BUSINESS_OFFICE), NOT_YOUR_UNIT)
    if end_on < assignment.start_on:
        raise ValidationError({"end_on": rules.END_BEFORE_START})
    updated = Assignment.objects.filter(pk=assignment.pk, end_on__isnull=True).update(
        end_on=end_on, end_reason=reason[:200]
    )
    _require(updated == 1, ALREADY_ENDED)
    assignment.refresh_from_db()
    _stamp(assignment, by)
    assignment.save(update_fields=["end_on", "end_reason"])
    return assignment


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
            raise ValidationError({"closed_on": "销号日期不能早于受理日期。"})
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
    report, created = MonthlyReport.objects.get_or_create(
        unit=unit, year=year, month=month, defaults={"due_on": rules.monthly_report_due_on(year, month)}
    )
    if created:
        _stamp(report, by)
    return report


@transaction.atomic
def monthly_report_submit(*, report: MonthlyReport, by) -> MonthlyReport:
    from .selectors import month_summary

    _require(acts_for_unit(by, report.unit), NOT_YOUR_UNIT)
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
    if entry is not None and entry.status != LedgerStatus.ESCALATED:
        raise ValidationError({"entry": ENTRY_NOT_ESCALATED})
    item = AgendaItem(
        meeting=meeting,
        entry=entry,
        topic=topic or (entry.description[:200] if entry else ""),
        decision=decision,
    )
    item.full_clean()
    _stamp(item, by)
    item.save()
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


# ---------------------------------------------------------------------------------------------------------
# Accountability (第二十八条–第三十条)
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def case_open(
    *, by, officer: Officer, item: str, facts: str, measures: str = "", suggestion: str = "", evidence=None
):
    listed = rules.NEGATIVE_LIST.get(item)
    case = AccountabilityCase(
        officer=officer,
        item=item,
        facts=facts,
        measures=measures
        or (
            listed[1]
            if listed
            else "依照第三十条：通报批评；情节严重的建议调整工作岗位，约谈派出单位主要领导；造成严重损失或不良社会影响的移交市纪委监委。"
        ),
        suggestion=suggestion or (listed[2] if listed else "由市委市政府优化营商环境领导小组依规处理。"),
        opened_by=by,
    )
    if evidence:
        case.evidence = evidence
    case.full_clean()
    _stamp(case, by)
    case.save()
    notify(
        "chiefservice.case_opened",
        text=f"营商办对{officer.unit.name}{officer.name}立案问责：{case.get_item_display()[:40]}",
        url=_business_office_url("case_detail", case.pk),
        key=f"case:{case.pk}:opened",
        roles=(Role.REPORTER,),
        organization=officer.unit,
    )
    return case


def _case_update(case: AccountabilityCase, *, source: str, by, **changes) -> AccountabilityCase:
    updated = AccountabilityCase.objects.filter(pk=case.pk, status=source).update(**changes)
    _require(updated == 1, STALE_STATE)
    case.refresh_from_db()
    _stamp(case, by)
    case.save(update_fields=list(changes))
    return case


@transaction.atomic
def case_claim_exemption(*, case: AccountabilityCase, by, ground: str, claim: str) -> AccountabilityCase:
    """第二十九条: the dispatching unit (or 营商办) claims one of the five grounds, with reasons."""
    _require(acts_for_unit(by, case.officer.unit) or has_role(by, Role.BUSINESS_OFFICE), NOT_YOUR_UNIT)
    _require(case.status == CaseStatus.OPEN, CASE_ALREADY_CLAIMED)
    if ground not in dict(rules.EXEMPTION_GROUNDS):
        raise ValidationError({"exemption_ground": "请选择免责情形。"})
    if not claim.strip():
        raise ValidationError({"exemption_claim": rules.REASON_REQUIRED})
    case = _case_update(
        case,
        source=CaseStatus.OPEN,
        by=by,
        status=CaseStatus.CLAIMED,
        exemption_ground=ground,
        exemption_claim=claim,
    )
    notify(
        "chiefservice.exemption_claimed",
        text=f"{case.officer.unit.name}为{case.officer.name}申请免责",
        url=_business_office_url("case_detail", case.pk),
        key=f"case:{case.pk}:claimed",
        roles=(Role.BUSINESS_OFFICE,),
    )
    return case


@transaction.atomic
def case_decide_exemption(*, case: AccountabilityCase, by, decision: str, reason: str) -> AccountabilityCase:
    """第二十九条: 免于问责 closes the case; 从轻 / 减轻 / 不予免责 leave the measure to decide."""
    _require(has_role(by, Role.BUSINESS_OFFICE, Role.ADMIN), NOT_YOUR_UNIT)
    _require(
        case.status == CaseStatus.CLAIMED,
        CASE_DECIDED if case.status == CaseStatus.DECIDED else rules.NO_EXEMPTION_CLAIMED,
    )
    error = rules.exemption_decision_error(
        claimed_ground=case.exemption_ground, decision=decision, reason=reason
    )
    if error:
        raise ValidationError({"exemption_decision": error})
    changes = {"exemption_decision": decision, "exemption_reason": reason}
    if decision == rules.EXEMPT:
        changes |= {"status": CaseStatus.DECIDED, "decided_on": timezone.localdate()}
    return _case_update(case, source=CaseStatus.CLAIMED, by=by, **changes)


@transaction.atomic
def case_decide(*, case: AccountabilityCase, by, decision: str, reason: str) -> AccountabilityCase:
    """第三十条: 通报批评 / 调整岗位 / 约谈派出单位主要领导 / 移交纪委监委, with reasons."""
    _require(has_role(by, Role.BUSINESS_OFFICE, Role.ADMIN), NOT_YOUR_UNIT)
    _require(case.status != CaseStatus.DECIDED, CASE_DECIDED)
    error = rules.case_decision_error(
        claimed_ground=case.exemption_ground,
        exemption_decision=case.exemption_decision,
        decision=decision,
        reason=reason,
    )
    if error:
        raise ValidationError({"decision": error})
    if decision not in dict(rules.DECISIONS):
        raise ValidationError({"decision": "请选择处理决定。"})
    case = _case_update(
        case,
        source=case.status,
        by=by,
        status=CaseStatus.DECIDED,
        decision=decision,
        decision_reason=reason,
        decided_on=timezone.localdate(),
    )
    notify(
        "chiefservice.case_decided",
        text=f"对{case.officer.name}的问责案件已决定：{case.get_decision_display()}",
        url=_business_office_url("case_detail", case.pk),
        key=f"case:{case.pk}:decided",
        roles=(Role.REPORTER,),
        organization=case.officer.unit,
    )
    return case
