"""Writes of the sprouts app: intake with routing, hand-overs, handling, closure, rule revisions.

Every function is keyword-only and atomic, validates with ``full_clean()`` and leaves history with the acting
user. Each step of the case declared in ``workflow`` asks ``permissions`` first (the page shows the same reason
next to an action it does not offer), then goes through ``orgs.workflow.transition`` (one conditional UPDATE on
the case, first in its transaction), then writes the case's log row and the notification in the same
transaction.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from orgs.access import user_organization
from orgs.models import Organization, Sector
from orgs.notifications import notify
from orgs.uploads import check_evidence
from orgs.workflow import CONCURRENT, guarded_write, require, serialised, transition

from . import permissions, rules, workflow
from .choices import Status, Trigger
from .models import (
    Additive,
    Case,
    CaseLog,
    CaseNote,
    Evidence,
    HandOver,
    PenaltyDecision,
    RoutingDecision,
    RoutingRule,
    SupervisionSettings,
)
from .permissions import SUPERVISING_ROLES
from .selectors import overdue_handovers, route_facts

ACKNOWLEDGED = "已确认接收"  # the hand-over's state, named when someone else acknowledged it first
NO_POLICE_RULE = "没有适用的涉嫌犯罪分办规则，无法移交公安部门，请联系系统管理员。"
SAME_OFFICE = "不能移交给本单位。"
NOT_AN_OFFICE = "所选单位必须是市场监管、农业或公安部门。"
RULE_NOT_CURRENT = "该规则已有更新的版本，请在现行版本上修改。"


def _case_url(case: Case) -> str:
    return reverse("sprouts:case_detail", args=[case.pk])


def _log(case: Case, *, by, action: str, from_status: str, to_status: str, note: str = "") -> None:
    CaseLog.objects.create(
        case=case, by=by, action=action, from_status=from_status, to_status=to_status, note=note
    )


def _current(case: Case, by) -> Case:
    """The case as it is now (the caller's object may be older than the page's decision), acted on by ``by``."""
    case.refresh_from_db()
    case._history_user = by
    return case


def _log_step(case: Case, *, step, by, before: str, note: str) -> None:
    """The case log names the steps that move it (a note or a file added is in its history, not its log)."""
    if step.target is not None:
        _log(case, by=by, action=step.label, from_status=before, to_status=case.status, note=note)


def _step(case: Case, step, *, by, note: str = "", **fields) -> Case:
    """Carry ``step`` out on the case the permission decided on (the UPDATE also checks its version, so a change
    in between is refused), log it (from → to) in the same transaction, and bring ``case`` up to date."""
    transition(
        case,
        step,
        by=by,
        counter="version",
        version=case.version,
        extra={"updated_at": timezone.now(), **fields},
        note=note,
        log=_log_step,
    )
    return _current(case, by)


def _office_named(name: str) -> Organization:
    return Organization.objects.get(name=name)


def _record_decision(
    case: Case, decision: rules.Decision, *, trigger: str, by, facts: dict
) -> RoutingDecision:
    record = RoutingDecision(
        case=case,
        trigger=trigger,
        lead_sector=decision.lead_sector,
        lead_office=_office_named(decision.lead_office),
        cooperating=[name for _, name in decision.cooperating],
        rule_version_ids=list(decision.rule_ids),
        reasons=decision.text(),
        facts=facts,
        decided_by=by,
    )
    record.full_clean()
    record._history_user = by
    record.save()
    record.rules.set(decision.rule_ids)
    cooperating = [_office_named(name) for _, name in decision.cooperating]
    case.cooperating_offices.add(*[o for o in cooperating if o.pk != case.lead_office_id])
    return record


def _hand_over(case: Case, *, from_office, to_office, by, reason: str) -> HandOver:
    days = SupervisionSettings.current().acknowledgement_days
    handover = HandOver(
        case=case,
        from_office=from_office,
        to_office=to_office,
        reason=reason,
        sent_by=by,
        due_on=rules.acknowledgement_due(timezone.localdate(), days),
    )
    handover.full_clean()
    handover._history_user = by
    handover.save()
    notify(
        "sprouts.handover",
        text=(
            f"{from_office}向贵单位移交豆芽案件 {case.number}（{case.business_name}），"
            f"请于{handover.due_on:%Y年%m月%d日}前确认接收。"
        ),
        url=_case_url(case),
        key=f"handover:{handover.pk}",
        roles=SUPERVISING_ROLES,
        organization=to_office,
    )
    return handover


def _facts(*, stage: str, source: str, district: Organization, on: date, criminal: bool) -> dict:
    return {
        "stage": stage,
        "source": source,
        "district": district.name,
        "on": on.isoformat(),
        "criminal": criminal,
    }


@transaction.atomic
def case_create(
    *,
    by,
    source: str,
    stage: str,
    district: Organization,
    business_name: str,
    found_on: date,
    business_address: str = "",
    findings: str = "",
    sample_results: str = "",
    criminal_suspected: bool = False,
    additives: list[Additive] | tuple = (),
    files=(),
) -> Case:
    """Register a case; the rules pick the lead department and office, and a hand-over goes to that
    office when it is not the reporting one (第三条: 农业's risk-monitoring clue → 市场监管)."""
    require(permissions.can_intake(by))
    office = user_organization(by)
    if office is None or office.sector not in Sector.values:
        raise ValidationError({"office": NOT_AN_OFFICE})
    decision = route_facts(
        stage=stage, source=source, district=district.name, on=found_on, criminal=criminal_suspected
    )
    if not decision.routed:
        raise ValidationError(list(decision.problems))
    lead_office = _office_named(decision.lead_office)
    handed = lead_office.pk != office.pk
    case = Case(
        number=f"TMP-{uuid.uuid4().hex[:12]}",
        source=source,
        stage=stage,
        district=district,
        business_name=business_name,
        business_address=business_address,
        found_on=found_on,
        findings=findings,
        sample_results=sample_results,
        criminal_suspected=criminal_suspected,
        reported_by_office=office,
        reported_by=by,
        lead_sector=decision.lead_sector,
        lead_office=lead_office,
        status=Status.PENDING if handed else Status.HANDLING,
    )
    case.full_clean()
    case.save_without_historical_record()
    case.number = f"DY{found_on.year}{case.pk:06d}"
    case._history_user = by
    case.save(update_fields=["number"])
    case.additives.set(additives)
    facts = _facts(stage=stage, source=source, district=district, on=found_on, criminal=criminal_suspected)
    _record_decision(case, decision, trigger=Trigger.INTAKE, by=by, facts=facts)
    _log(case, by=by, action="登记", from_status="", to_status=case.status, note=decision.text())
    if handed:
        _hand_over(case, from_office=office, to_office=lead_office, by=by, reason=decision.text())
    for upload in files:  # the reporting office's own files, whichever office leads the case
        _save_evidence(case, by=by, upload=upload, kind=check_evidence(upload))
    return case


@serialised
@transaction.atomic
def handover_create(*, case: Case, by, to_office: Organization, reason: str) -> HandOver:
    """移交 to another supervising office, which becomes the lead office and must acknowledge it."""
    case = _current(case, by)
    require(permissions.can_hand_over(by, case))
    office = user_organization(by)
    if to_office.sector not in Sector.values:
        raise ValidationError({"to_office": NOT_AN_OFFICE})
    if to_office.pk == office.pk:
        raise ValidationError({"to_office": SAME_OFFICE})
    _step(
        case,
        workflow.HAND_OVER,
        by=by,
        note=f"移交{to_office}：{reason}",
        lead_office=to_office,
        lead_sector=to_office.sector,
    )
    case.cooperating_offices.remove(to_office)
    return _hand_over(case, from_office=office, to_office=to_office, by=by, reason=reason)


@serialised
@transaction.atomic
def case_refer_to_police(*, case: Case, by, reason: str) -> HandOver:
    """第四条: a suspicion of crime hands the case to 公安 — the rules (with the crime flag) pick the office."""
    case = _current(case, by)
    require(permissions.can_refer_to_police(by, case))
    office = user_organization(by)
    today = timezone.localdate()
    decision = route_facts(
        stage=case.stage, source=case.source, district=case.district.name, on=today, criminal=True
    )
    if not decision.routed or decision.lead_sector != Sector.POLICE:
        raise ValidationError(NO_POLICE_RULE)
    police = _office_named(decision.lead_office)
    _step(
        case,
        workflow.REFER_TO_POLICE,
        by=by,
        note=reason,
        lead_office=police,
        lead_sector=Sector.POLICE,
        criminal_suspected=True,
    )
    facts = _facts(stage=case.stage, source=case.source, district=case.district, on=today, criminal=True)
    _record_decision(case, decision, trigger=Trigger.CRIME, by=by, facts=facts)
    if office.pk != police.pk:
        case.cooperating_offices.add(office)
    return _hand_over(
        case, from_office=office, to_office=police, by=by, reason=f"涉嫌犯罪：{reason}\n{decision.text()}"
    )


@serialised
@transaction.atomic
def handover_acknowledge(*, handover: HandOver, by) -> HandOver:
    """The receiving office acknowledges the hand-over (claimed once: ``acknowledged_at`` is its state); the
    case is then 办理中 at that office, unless another hand-over of it still waits."""
    handover.refresh_from_db()
    require(permissions.can_acknowledge(by, handover))
    guarded_write(
        handover,
        by=by,
        reason=workflow.ACKNOWLEDGE.label,
        expect={"acknowledged_at__isnull": True},
        values={"acknowledged_at": timezone.now(), "acknowledged_by": by},
        missed=CONCURRENT.format(status=ACKNOWLEDGED),
    )
    handover.refresh_from_db()  # the caller's hand-over shows who acknowledged it
    case = _current(handover.case, by)
    waiting = HandOver.objects.filter(case=case, acknowledged_at__isnull=True).exists()
    if case.status in workflow.ACKNOWLEDGE.source and not waiting:
        _step(case, workflow.ACKNOWLEDGE, by=by, note=str(handover))
    notify(
        "sprouts.acknowledged",
        text=f"{handover.to_office}已确认接收豆芽案件 {case.number}（{case.business_name}）。",
        url=_case_url(case),
        key=f"handover:{handover.pk}:acknowledged",
        roles=SUPERVISING_ROLES,
        organization=handover.from_office,
    )
    return handover


@serialised
@transaction.atomic
def note_add(*, case: Case, by, text: str) -> CaseNote:
    case = _current(case, by)
    require(permissions.can_add_note(by, case))
    note = CaseNote(case=case, office=user_organization(by), author=by, text=text)
    note.full_clean()
    _step(case, workflow.NOTE, by=by)
    note._history_user = by
    note.save()
    return note


@serialised
@transaction.atomic
def penalty_record(
    *, case: Case, by, legal_basis: str, amount: Decimal, decided_on: date, document_number: str = ""
) -> PenaltyDecision:
    """处罚决定 (第一条): by a 市场监管 or 农业 office working on the case (``PenaltyDecision.clean``)."""
    case = _current(case, by)
    require(permissions.can_record_penalty(by, case))
    penalty = PenaltyDecision(
        case=case,
        decided_by_office=user_organization(by),
        legal_basis=legal_basis,
        amount=amount,
        decided_on=decided_on,
        document_number=document_number,
        recorded_by=by,
    )
    penalty.full_clean()
    _step(case, workflow.PENALTY, by=by)
    penalty._history_user = by
    penalty.save()
    return penalty


@serialised
@transaction.atomic
def case_close(*, case: Case, by, outcome: str, note: str = "") -> Case:
    """办结 with an outcome the lead office may give (``Case.clean``: 作出行政处罚 needs a penalty record and
    市场监管/农业, 刑事立案 needs 公安)."""
    case = _current(case, by)
    require(permissions.can_close(by, case))
    closed_at = timezone.now()
    kept = case.outcome, case.closed_at
    case.outcome, case.closed_at = outcome, closed_at
    try:
        case.full_clean()
    finally:
        case.outcome, case.closed_at = kept
    return _step(
        case,
        workflow.CLOSE,
        by=by,
        note=note,
        outcome=outcome,
        closing_note=note,
        closed_at=closed_at,
    )


@serialised
@transaction.atomic
def evidence_add(*, case: Case, by, upload) -> Evidence:
    case = _current(case, by)
    require(permissions.can_add_evidence(by, case))
    kind = check_evidence(upload)
    _step(case, workflow.EVIDENCE, by=by)
    return _save_evidence(case, by=by, upload=upload, kind=kind)


def _save_evidence(case: Case, *, by, upload, kind: str) -> Evidence:
    evidence = Evidence(case=case, original_name=upload.name[:200], kind=kind, uploaded_by=by)
    evidence.file.save(upload.name, upload, save=False)
    evidence._history_user = by
    evidence.save()
    return evidence


def handovers_remind_overdue(*, today: date | None = None) -> int:
    """Tell both offices, once, of each hand-over not acknowledged by its due day.

    Only a reminder: whether a hand-over is overdue is computed when read (``selectors.overdue_q``), so the
    pages agree whether or not this has run; ``reminded_at`` only keeps the reminder from being sent twice.
    """
    today = today or timezone.localdate()
    reminded = 0
    candidates = (
        overdue_handovers(today)
        .filter(reminded_at__isnull=True)
        .select_related("case", "from_office", "to_office")
    )
    for handover in candidates:
        with transaction.atomic():
            claimed = HandOver.objects.filter(pk=handover.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            reminded += 1
            text = (
                f"豆芽案件 {handover.case.number} 的移交（{handover.from_office} → {handover.to_office}）"
                f"已超过接收期限 {handover.due_on:%Y年%m月%d日} 仍未确认接收。"
            )
            for office in (handover.to_office, handover.from_office):
                notify(
                    "sprouts.handover_overdue",
                    text=text,
                    url=_case_url(handover.case),
                    key=f"handover:{handover.pk}:overdue",
                    roles=SUPERVISING_ROLES,
                    organization=office,
                )
    return reminded


def _rule_not_current(current) -> None:
    raise ValidationError(RULE_NOT_CURRENT, code="stale")


@transaction.atomic
def rule_revise(*, rule: RoutingRule, by, **changes) -> RoutingRule:
    """A rule edit is a new version; the old version stays as it was, so past decisions keep their basis."""
    guarded_write(
        rule,
        by=by,
        reason="修订为新版本",
        expect={"is_current": True},
        values={"is_current": False},
        missed=_rule_not_current,
    )
    latest = RoutingRule.objects.filter(code=rule.code).aggregate(v=Max("version"))["v"] or 0
    fields = {
        f.name: getattr(rule, f.name)
        for f in RoutingRule._meta.concrete_fields
        if f.name not in ("id", "created_at", "created_by", "version", "is_current")
    }
    fields.update(changes)
    revised = RoutingRule(**fields, version=latest + 1, is_current=True, created_by=by)
    revised.full_clean()
    revised._history_user = by
    revised.save()
    return revised
