"""Accountability and exemption (第二十八条–第三十条, 附件4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orgs.notifications import notify
from orgs.roles import Role
from orgs.uploads import check_evidence, stored_upload
from orgs.workflow import CONCURRENT, ConcurrentChange, require, serialised, transition

from .. import permissions, rules, workflow
from ..models import (
    AccountabilityCase,
    CaseStatus,
    Officer,
)
from .common import (
    _business_office_url,
    _stamp,
    _sync,
)


# ---------------------------------------------------------------------------------------------------------
# Accountability (第二十八条–第三十条)
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def case_open(
    *, by, officer: Officer, item: str, facts: str, measures: str = "", suggestion: str = "", evidence=None
):
    require(permissions.can_open_case(by))
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
        try:
            kind = check_evidence(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
        case.evidence = stored_upload(evidence, kind)
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


@serialised
@transaction.atomic
def case_claim_exemption(*, case: AccountabilityCase, by, ground: str, claim: str) -> AccountabilityCase:
    """第二十九条: the officer's dispatching unit claims one of the five grounds, with reasons (营商办 decides)."""
    require(permissions.can_claim_exemption(by, case))
    if ground not in dict(rules.EXEMPTION_GROUNDS):
        raise ValidationError({"exemption_ground": "请选择免责情形。"})
    if not (claim or "").strip():
        raise ValidationError({"exemption_claim": rules.REASON_REQUIRED})
    current = _sync(
        case,
        transition(
            case,
            workflow.CLAIM,
            by=by,
            extra={"exemption_ground": ground, "exemption_claim": claim, "exemption_claimed_by": by},
        ),
    )
    notify(
        "chiefservice.exemption_claimed",
        text=f"{current.officer.unit.name}为{current.officer.name}申请免责",
        url=_business_office_url("case_detail", current.pk),
        key=f"case:{current.pk}:claimed",
        roles=(Role.BUSINESS_OFFICE,),
    )
    return current


def _four_eyes_guard(by):
    def guard(current: AccountabilityCase) -> None:
        require(permissions.exemption_four_eyes(by, current))

    return guard


@serialised
@transaction.atomic
def case_decide_exemption(*, case: AccountabilityCase, by, decision: str, reason: str) -> AccountabilityCase:
    """第二十九条: 营商办 decides — never the claimant; 免于问责 closes the case, 从轻 / 减轻 / 不予免责 leave the
    measure to decide."""
    require(permissions.can_decide_exemption(by, case))
    error = rules.exemption_decision_error(
        claimed_ground=case.exemption_ground, decision=decision, reason=reason
    )
    if error:
        raise ValidationError({"exemption_decision": error})
    extra = {"exemption_decision": decision, "exemption_reason": reason, "exemption_decided_by": by}
    step = workflow.EXEMPT if decision == rules.EXEMPT else workflow.DECIDE_EXEMPTION
    if step.target is not None:
        extra["decided_on"] = timezone.localdate()
    current = transition(
        case,
        step,
        by=by,
        extra=extra,
        exclude={"exemption_claimed_by": by},  # four-eyes in the UPDATE itself
        guard=_four_eyes_guard(by),
    )
    return _sync(case, current)


@serialised
@transaction.atomic
def case_decide(*, case: AccountabilityCase, by, decision: str, reason: str) -> AccountabilityCase:
    """第三十条: 通报批评 / 建议调整工作岗位 / 对派出单位主要领导进行约谈 / 移交市纪委监委进行问责, with reasons."""
    require(permissions.can_decide_case(by, case))
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
    current = transition(
        case,
        workflow.DECIDE,
        by=by,
        extra={"decision": decision, "decision_reason": reason, "decided_on": timezone.localdate()},
    )
    # The decision was checked against the exemption as the page showed it: a claim or an exemption decision
    # recorded meanwhile undoes the whole step (the UPDATE above holds the row until the end of the transaction).
    if (current.exemption_ground, current.exemption_decision) != (
        case.exemption_ground,
        case.exemption_decision,
    ):
        raise ConcurrentChange(CONCURRENT.format(status=CaseStatus.CLAIMED.label), code="concurrent")
    _sync(case, current)
    notify(
        "chiefservice.case_decided",
        text=f"对{current.officer.name}的问责案件已决定：{current.get_decision_display()}",
        url=_business_office_url("case_detail", current.pk),
        key=f"case:{current.pk}:decided",
        roles=(Role.REPORTER,),
        organization=current.officer.unit,
    )
    return current
