"""The awards items of the home page's 待办 list, read from the workflow's declaration (``workflow``)."""

from __future__ import annotations

from django.urls import reverse

from orgs.roles import Role, has_role
from orgs.todo import LIMIT, TodoItem

from . import permissions, selectors, workflow
from .models import Allocation, AllocationStatus, Clawback, ClawbackStatus

TEXT = {
    AllocationStatus.DRAFT: "{a}（草稿）待核对、提交审批",
    AllocationStatus.SUBMITTED: "{a}已提交，待审批",
    AllocationStatus.APPROVED: "{a}已经发改委审批，待登记市政府批复",
    AllocationStatus.CITY_APPROVED: "{a}已批复，待拨付奖励资金",
}


def _latest_per_year(statuses) -> list[Allocation]:
    """The latest revision of each year, when it waits in one of ``statuses`` (an older revision never acts)."""
    candidates = Allocation.objects.filter(status__in=statuses).order_by("-year", "-revision")[:LIMIT]
    latest = dict(
        Allocation.objects.filter(year__in={a.year for a in candidates})
        .order_by("year", "revision")
        .values_list("year", "revision")
    )
    return [a for a in candidates if latest.get(a.year) == a.revision]


def _payments(allocation: Allocation) -> list[TodoItem]:
    """市财政局: each unit still to pay, linked straight to its pay action."""
    owed = selectors.balances(allocation.year)
    out = []
    for line in allocation.lines.filter(disqualified=False, disbursed_on__isnull=True).select_related(
        "entity"
    ):
        balance = owed.get(line.entity_id)
        if balance is None or balance.to_pay <= 0:
            continue
        kind = "补拨" if balance.paid else "拨付"
        out.append(
            TodoItem(
                text=f"{allocation.year}年度奖励资金：{kind}{line.entity.name} {balance.to_pay} 万元",
                url=reverse("awards:allocation_line", args=[allocation.year, line.entity_id])
                + "#disburse-form",
                waiting_for=allocation.waiting_for,
                app="awards",
            )
        )
    return out


def items(user) -> list[TodoItem]:
    out: list[TodoItem] = []
    for allocation in _latest_per_year(workflow.ALLOCATION.states_for(user)):
        if allocation.status == AllocationStatus.SUBMITTED and not permissions.four_eyes(user, allocation):
            continue  # the submitter is not the one to approve
        if allocation.status == AllocationStatus.CITY_APPROVED and has_role(user, Role.FINANCE):
            out.extend(_payments(allocation)[:LIMIT])
            continue
        out.append(
            TodoItem(
                text=TEXT[allocation.status].format(a=allocation),
                url=reverse("awards:allocation", args=[allocation.year]),
                waiting_for=allocation.waiting_for,
                app="awards",
            )
        )
    if has_role(user, Role.FINANCE):
        for clawback in Clawback.objects.filter(status=ClawbackStatus.PENDING).select_related(
            "line__entity", "line__allocation"
        )[:LIMIT]:
            line = clawback.line
            out.append(
                TodoItem(
                    text=f"{line.allocation.year}年度奖励资金：收回{line.entity.name} {clawback.amount} 万元（{clawback.reason or '收回'}）",
                    url=reverse("awards:clawbacks"),
                    waiting_for="市财政局（收回奖励资金）",
                    app="awards",
                )
            )
    return out
