"""The awards items of the home page's 待办 list: whose turn it is on each pending allocation."""

from __future__ import annotations

from django.urls import reverse

from orgs.roles import Role, has_role
from orgs.todo import TodoItem

from .models import Allocation, AllocationStatus, Clawback, ClawbackStatus

# status -> (the role whose turn it is, the text of the item)
STEPS = {
    AllocationStatus.DRAFT: (Role.FGW_CLERK, "{a}（草稿）待核对、提交审批"),
    AllocationStatus.SUBMITTED: (Role.FGW_APPROVER, "{a}已提交，待审批"),
    AllocationStatus.APPROVED: (Role.CITY_OFFICE, "{a}已经发改委审批，待登记市政府批复"),
    AllocationStatus.CITY_APPROVED: (Role.FINANCE, "{a}已批复，待拨付奖励资金"),
}


def items(user) -> list[TodoItem]:
    out: list[TodoItem] = []
    statuses = [status for status, (role, _) in STEPS.items() if has_role(user, role)]
    if statuses:
        pending = Allocation.objects.filter(status__in=statuses).order_by("-year", "-revision")[:10]
        for allocation in pending:
            role, text = STEPS[allocation.status]
            if allocation.status == AllocationStatus.SUBMITTED and allocation.submitted_by_id == user.pk:
                continue  # four-eyes: the submitter is not the one to approve
            out.append(
                TodoItem(
                    text=text.format(a=allocation),
                    url=reverse("awards:allocation", args=[allocation.year]),
                    waiting_for=allocation.waiting_for,
                    app="awards",
                )
            )
    if has_role(user, Role.FINANCE):
        for clawback in Clawback.objects.filter(status=ClawbackStatus.PENDING).select_related(
            "disqualification__line__entity", "disqualification__line__allocation"
        )[:10]:
            line = clawback.disqualification.line
            out.append(
                TodoItem(
                    text=f"{line.allocation.year}年度奖励资金：收回{line.entity.name} {clawback.amount} 万元",
                    url=reverse("awards:clawbacks"),
                    waiting_for="市财政局（收回奖励资金）",
                    app="awards",
                )
            )
    return out
