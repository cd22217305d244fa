"""The investment app's 待办 for the home page: each item names whose turn it is."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from orgs.access import user_organization, visible
from orgs.roles import Role, has_role
from orgs.todo import TodoItem

from . import selectors
from .models import (
    EvaluationStatus,
    IncentiveProposal,
    ProposalStatus,
    SelfEvaluation,
    TargetSet,
    TargetStatus,
)

APP = "investment"


def items(user) -> list[TodoItem]:
    found: list[TodoItem] = []
    today = date.today()
    if has_role(user, Role.REPORTER):
        organization = user_organization(user)
        year = selectors.default_year()
        target_set = selectors.current_targets(year)
        has_targets = target_set is not None and (
            target_set.county_targets.filter(organization=organization).exists()
            or target_set.municipal_lines.filter(organization=organization).exists()
        )
        if organization is not None and has_targets:
            evaluation = SelfEvaluation.objects.filter(organization=organization, year=year).first()
            if evaluation is None or evaluation.status == EvaluationStatus.DRAFT:
                deadline = selectors.parameters(year).deadline
                found.append(
                    TodoItem(
                        text=f"提交{year}年度招商引资自评报告",
                        url=reverse("investment:my_evaluation") + f"?year={year}",
                        waiting_for=f"{organization} 填报员",
                        due=deadline,
                        overdue=deadline < today,
                        app=APP,
                    )
                )
    if has_role(user, Role.ASSESSOR):
        for evaluation in (
            visible(user, SelfEvaluation)
            .filter(status=EvaluationStatus.SUBMITTED)
            .select_related("organization")[:50]
        ):
            found.append(
                TodoItem(
                    text=f"审核{evaluation}",
                    url=reverse("investment:evaluation_detail", args=[evaluation.pk]),
                    waiting_for="考核组",
                    app=APP,
                )
            )
    if has_role(user, Role.CITY_OFFICE):
        for target_set in visible(user, TargetSet).filter(status=TargetStatus.DRAFT)[:10]:
            found.append(
                TodoItem(
                    text=f"审定下达{target_set}",
                    url=reverse("investment:target_detail", args=[target_set.pk]),
                    waiting_for="市政府办公室",
                    app=APP,
                )
            )
        for proposal in visible(user, IncentiveProposal).filter(status=ProposalStatus.SUBMITTED)[:10]:
            found.append(
                TodoItem(
                    text=f"审批{proposal}",
                    url=reverse("investment:proposal_detail", args=[proposal.pk]),
                    waiting_for="市政府办公室",
                    app=APP,
                )
            )
    return found
