"""The 待办 of chief service officers on each user's home page: what the permissions (``permissions.can_*``)
let the user do now; whose turn it is comes from ``workflow``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from orgs import discovery
from orgs.access import user_organization
from orgs.roles import Role, has_role
from orgs.todo import LIMIT, TodoItem

from . import permissions, selectors, workflow
from .models import CaseStatus, report_due_on

CASE_TEXT = {
    CaseStatus.OPEN: "问责案件待处理决定：{case}（{unit}）",
    CaseStatus.CLAIMED: "免责申请待决定：{case}（{unit}）",
}


#: The step each open case waits for, asked of its permission.
CASE_STEPS = {
    CaseStatus.OPEN: permissions.can_decide_case,
    CaseStatus.CLAIMED: permissions.can_decide_exemption,
}


@discovery.todo
def items(user) -> list[TodoItem]:
    if not has_role(user, Role.REPORTER, Role.BUSINESS_OFFICE):
        return []
    today = timezone.localdate()
    found: list[TodoItem] = []
    if has_role(user, Role.BUSINESS_OFFICE):
        escalated = selectors.ledger(user).filter(status__in=workflow.CLOSE_ESCALATED.source)
        for entry in escalated[:LIMIT]:
            if not permissions.can_close_escalated(user, entry):
                continue
            found.append(
                TodoItem(
                    f"会商并销号：{entry.subject.name}——{entry.description[:30]}",
                    reverse("chiefservice:ledger_detail", args=[entry.pk]),
                    entry.waiting_for,
                    entry.due_on,
                    entry.due_on < today,
                    "chiefservice",
                )
            )
        for subject in selectors.contracts_awaiting_assignment(user)[:LIMIT]:
            found.append(
                TodoItem(
                    f"为新签约企业“{subject.name}”配置服务员（第十九条）",
                    reverse("chiefservice:subject_detail", args=[subject.pk]),
                    "营商办",
                    subject.assignment_due_on,
                    subject.assignment_due_on < today,
                    "chiefservice",
                )
            )
        for case in selectors.cases(user).filter(status__in=list(CASE_STEPS))[:LIMIT]:
            if not CASE_STEPS[case.status](user, case):
                continue
            found.append(
                TodoItem(
                    CASE_TEXT[case.status].format(case=case, unit=case.officer.unit.name),
                    reverse("chiefservice:case_detail", args=[case.pk]),
                    case.waiting_for,
                    app="chiefservice",
                )
            )
        return found
    unit = user_organization(user)
    if unit is None or not unit.service_officers.filter(is_active=True).exists():
        return found
    # The unit's turn: entries not yet at a 会商 meeting (an escalated one waits for 营商办).
    overdue = selectors.ledger_overdue(user, today).filter(status__in=workflow.RESOLVE.source)
    for entry in overdue[:LIMIT]:
        if not permissions.can_resolve(user, entry):
            continue
        found.append(
            TodoItem(
                f"台账事项超期未销号：{entry.subject.name}——{entry.description[:30]}",
                reverse("chiefservice:ledger_detail", args=[entry.pk]),
                entry.waiting_for,
                entry.due_on,
                True,
                "chiefservice",
            )
        )
    # 第二十一条: every month not yet submitted, the oldest first, until it is.
    for year, month in selectors.unsubmitted_months(unit, today):
        due = report_due_on(year, month)
        found.append(
            TodoItem(
                f"报送{year}年{month}月首席服务员工作台账",
                reverse("chiefservice:report_list"),
                f"{unit.name}填报员",
                due,
                today > due,
                "chiefservice",
            )
        )
    return found
