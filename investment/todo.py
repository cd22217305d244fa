"""The investment items of the home page's 待办 list: each item is one the user's permission
(``permissions.can_*``) lets them act on now, and names whose turn it is (the workflows' declaration)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from orgs import discovery
from orgs.access import user_organization, visible
from orgs.todo import LIMIT, TodoItem

from . import permissions, rules, selectors, workflow
from .models import (
    EvaluationStatus,
    IncentiveProposal,
    ProposalStatus,
    SelfEvaluation,
    TargetSet,
    TargetStatus,
)

APP = "investment"

TEXT = {
    (TargetSet, TargetStatus.DRAFT): "审定下达{obj}",
    (SelfEvaluation, EvaluationStatus.SUBMITTED): "审核{obj}",
    (IncentiveProposal, ProposalStatus.DRAFT): "提交审批：{obj}",
    (IncentiveProposal, ProposalStatus.SUBMITTED): "审批{obj}",
}


def _own_self_evaluation(user) -> list[TodoItem]:
    """The unit's own report of the current year, from the day its targets are issued until it is submitted."""
    organization = user_organization(user)
    year = selectors.default_year()
    target_set = selectors.current_targets(year)
    if organization is None or target_set is None:
        return []
    assessed = (
        target_set.county_targets.filter(organization=organization).exists()
        or target_set.municipal_lines.filter(organization=organization).exists()
    )
    evaluation = SelfEvaluation.objects.filter(organization=organization, year=year).first()
    decision = (
        permissions.can_open_evaluation(user, organization)
        if evaluation is None
        else permissions.can_submit_evaluation(user, evaluation)
    )
    if not assessed or not decision:
        return []
    if not permissions.not_frozen(year):  # the year's results are published: nothing left to submit
        return []
    deadline = selectors.parameters(year).deadline
    today = timezone.localdate()
    year_over = today.year > year
    return [
        TodoItem(
            text=f"提交{year}年度招商引资自评报告"
            + (f"（{year}年度已结束，补报记为逾期申报）" if year_over else ""),
            url=reverse("investment:my_evaluation") + f"?year={year}",
            waiting_for=workflow.waiting_for(workflow.EVALUATION, EvaluationStatus.DRAFT, unit=organization),
            due=deadline,
            overdue=rules.overdue_in_its_year(deadline=deadline, year=year, today=today),
            app=APP,
        )
    ]


@discovery.todo
def items(user) -> list[TodoItem]:
    found: list[TodoItem] = []
    if workflow.SUBMIT_EVALUATION.role_decision(user):
        found += _own_self_evaluation(user)
    if workflow.REVIEW_VALUE.role_decision(user):
        for evaluation in (
            visible(user, SelfEvaluation)
            .filter(status=EvaluationStatus.SUBMITTED)
            .select_related("organization")[:LIMIT]
        ):
            if not permissions.can_review(user, evaluation):
                continue
            found.append(
                TodoItem(
                    text=TEXT[SelfEvaluation, evaluation.status].format(obj=evaluation),
                    url=reverse("investment:evaluation_detail", args=[evaluation.pk]),
                    waiting_for=evaluation.waiting_for,
                    app=APP,
                )
            )
    if workflow.ISSUE_TARGETS.role_decision(user):
        for target_set in visible(user, TargetSet).filter(status__in=workflow.ISSUE_TARGETS.source)[:LIMIT]:
            if not permissions.can_issue_targets(user, target_set):
                continue
            found.append(
                TodoItem(
                    text=TEXT[TargetSet, target_set.status].format(obj=target_set),
                    url=reverse("investment:target_detail", args=[target_set.pk]),
                    waiting_for=target_set.waiting_for,
                    app=APP,
                )
            )
    steps = {
        ProposalStatus.DRAFT: permissions.can_submit_proposal,
        ProposalStatus.SUBMITTED: permissions.can_approve_proposal,  # never the person who drafted it
    }
    if workflow.SUBMIT_PROPOSAL.role_decision(user) or workflow.APPROVE_PROPOSAL.role_decision(user):
        for proposal in visible(user, IncentiveProposal).filter(status__in=list(steps))[:LIMIT]:
            if not steps[proposal.status](user, proposal):
                continue
            found.append(
                TodoItem(
                    text=TEXT[IncentiveProposal, proposal.status].format(obj=proposal),
                    url=reverse("investment:proposal_detail", args=[proposal.pk]),
                    waiting_for=proposal.waiting_for,
                    app=APP,
                )
            )
    return found
