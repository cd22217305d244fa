"""The awards items of the home page's 待办 list: what the permissions (``permissions.can_*``) let the user do
now; whose turn it is comes from the workflow's declaration (``workflow``)."""

from __future__ import annotations

from django.urls import reverse

from orgs import discovery
from orgs.access import user_organization
from orgs.roles import Role, has_role
from orgs.todo import LIMIT, TodoItem

from . import permissions, selectors, workflow
from .models import Allocation, AllocationStatus, Clawback, ClawbackStatus, IndustrialTarget, Project

ENTRY = "填报{year}年度百大项目数据"
ENTRY_RETURNED = "填报{year}年度百大项目数据（发改委退回修改：{note}）"

TEXT = {
    AllocationStatus.DRAFT: "{a}（草稿）待核对、提交审批",
    AllocationStatus.SUBMITTED: "{a}已提交，待审批",
    AllocationStatus.APPROVED: "{a}已经发改委审批，待登记市政府批复",
    AllocationStatus.CITY_APPROVED: "{a}已批复，待拨付奖励资金",
}


def _latest_per_year(statuses) -> list[Allocation]:
    """The latest revision of each year, when it waits in one of ``statuses`` (an older revision never acts)."""
    return list(Allocation.objects.latest_revisions().filter(status__in=statuses).order_by("-year")[:LIMIT])


def _payments(user, allocation: Allocation) -> list[TodoItem]:
    """市财政局: each unit still to pay (``selectors.money_summary``: never a year archived from the gazette,
    whose money was paid before the platform) that ``permissions.can_disburse`` allows, linked straight to its
    pay action."""
    lines = {line.entity_id: line for line in allocation.lines.select_related("entity", "allocation")}
    out = []
    for row in selectors.money_summary(allocation.year).rows:
        line = lines.get(row.entity_id)
        if line is None or row.to_pay <= 0 or not permissions.can_disburse(user, line, to_pay=row.to_pay):
            continue
        kind = "补拨" if row.paid else "拨付"
        out.append(
            TodoItem(
                text=f"{allocation.year}年度奖励资金：{kind}{row.name} {row.to_pay} 万元",
                url=reverse("awards:allocation_line", args=[allocation.year, row.entity_id])
                + "#disburse-form",
                waiting_for=allocation.waiting_for,
                app="awards",
            )
        )
    return out


def _data_entry(user) -> list[TodoItem]:
    """填报员: each year the unit takes part in (projects or targets) while it is open — its latest allocation
    is a draft, or none is computed yet — linked to the unit's projects of that year (four queries)."""
    own = user_organization(user)
    if own is None:
        return []
    years = set(
        Project.objects.filter(entity=own).order_by().values_list("year", flat=True).distinct()
    ) | set(IndustrialTarget.objects.filter(entity=own).order_by().values_list("year", flat=True).distinct())
    if not years:
        return []
    returned = {note.year: note for note in selectors.returned_years()}
    out = []
    for year in sorted(years, reverse=True):
        if not permissions.year_open(year):
            continue  # submitted or later: the year is locked
        note = returned.get(year)
        out.append(
            TodoItem(
                text=ENTRY_RETURNED.format(year=year, note=note.note) if note else ENTRY.format(year=year),
                url=reverse("awards:project_list") + f"?year={year}",
                waiting_for=f"{own.name}填报员（录入、核对本单位项目）",
                app="awards",
            )
        )
    return out[:LIMIT]


@discovery.todo
def items(user) -> list[TodoItem]:
    out: list[TodoItem] = []
    if has_role(user, Role.REPORTER):
        out.extend(_data_entry(user))
    allocations = _latest_per_year(list(TEXT)) if permissions.takes_part_in_allocations(user) else []
    for allocation in allocations:
        if not permissions.can_take_next_step(user, allocation):
            continue  # not this user's step (another role's, the submitter's own, or refused for now)
        if allocation.status == AllocationStatus.CITY_APPROVED:
            out.extend(_payments(user, allocation)[:LIMIT])
            continue
        out.append(
            TodoItem(
                text=TEXT[allocation.status].format(a=allocation),
                url=reverse("awards:allocation", args=[allocation.year]),
                waiting_for=allocation.waiting_for,
                app="awards",
            )
        )
    if workflow.RECOVER.role_decision(user):
        for clawback in Clawback.objects.filter(status=ClawbackStatus.PENDING).select_related(
            "line__entity", "line__allocation"
        )[:LIMIT]:
            if not permissions.can_recover(user, clawback):
                continue
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
