"""Accountability and exemption (第二十八条–第三十条, 附件4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orgs.notifications import notify
from orgs.roles import Role

from .. import permissions, rules
from ..models import (
    AccountabilityCase,
    CaseStatus,
    Officer,
)
from .common import (
    STALE_STATE,
    _allowed,
    _business_office_url,
    _require,
    _stamp,
)


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
    """第二十九条: the officer's dispatching unit claims one of the five grounds, with reasons (营商办 decides)."""
    _allowed(permissions.can_claim_exemption(by, case))
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
        exemption_claimed_by=by,
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
    """第二十九条: 营商办 decides — never the claimant; 免于问责 closes the case, 从轻 / 减轻 / 不予免责 leave the
    measure to decide."""
    _allowed(permissions.can_decide_exemption(by, case))
    error = rules.exemption_decision_error(
        claimed_ground=case.exemption_ground, decision=decision, reason=reason
    )
    if error:
        raise ValidationError({"exemption_decision": error})
    changes = {"exemption_decision": decision, "exemption_reason": reason, "exemption_decided_by": by}
    if decision == rules.EXEMPT:
        changes |= {"status": CaseStatus.DECIDED, "decided_on": timezone.localdate()}
    return _case_update(case, source=CaseStatus.CLAIMED, by=by, **changes)


@transaction.atomic
def case_decide(*, case: AccountabilityCase, by, decision: str, reason: str) -> AccountabilityCase:
    """第三十条: 通报批评 / 建议调整工作岗位 / 对派出单位主要领导进行约谈 / 移交市纪委监委进行问责, with reasons."""
    _allowed(permissions.can_decide_case(by, case))
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
