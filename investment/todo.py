"""The investment items of the home page's 待办 list, read from the workflows' declaration (``workflow``):
each item is in a state where it is the user's role's turn, and names whose turn it is."""

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
    if not assessed or (evaluation is not None and evaluation.status != EvaluationStatus.DRAFT):
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
    evaluation_turns = workflow.EVALUATION.states_for(user)
    if EvaluationStatus.DRAFT in evaluation_turns:
        found += _own_self_evaluation(user)
    if EvaluationStatus.SUBMITTED in evaluation_turns:
        for evaluation in (
            visible(user, SelfEvaluation)
            .filter(status=EvaluationStatus.SUBMITTED)
            .select_related("organization")[:LIMIT]
        ):
            found.append(
                TodoItem(
                    text=TEXT[SelfEvaluation, evaluation.status].format(obj=evaluation),
                    url=reverse("investment:evaluation_detail", args=[evaluation.pk]),
                    waiting_for=evaluation.waiting_for,
                    app=APP,
                )
            )
    target_turns = workflow.TARGETS.states_for(user)
    if target_turns:
        for target_set in visible(user, TargetSet).filter(status__in=target_turns)[:LIMIT]:
            found.append(
                TodoItem(
                    text=TEXT[TargetSet, target_set.status].format(obj=target_set),
                    url=reverse("investment:target_detail", args=[target_set.pk]),
                    waiting_for=target_set.waiting_for,
                    app=APP,
                )
            )
    proposal_turns = workflow.PROPOSAL.states_for(user)
    if proposal_turns:
        for proposal in visible(user, IncentiveProposal).filter(status__in=proposal_turns)[:LIMIT]:
            if proposal.status == ProposalStatus.SUBMITTED and not permissions.four_eyes(user, proposal):
                continue  # the person who drafted it is not the one to approve it
            found.append(
                TodoItem(
                    text=TEXT[IncentiveProposal, proposal.status].format(obj=proposal),
                    url=reverse("investment:proposal_detail", args=[proposal.pk]),
                    waiting_for=proposal.waiting_for,
                    app=APP,
                )
            )
    return found
