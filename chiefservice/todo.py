"""The 待办 of chief service officers on each user's home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from orgs.access import user_organization
from orgs.roles import Role, has_role
from orgs.todo import TodoItem

from . import rules, selectors
from .models import LedgerStatus, MonthlyReport


def items(user) -> list[TodoItem]:
    if not has_role(user, Role.REPORTER, Role.BUSINESS_OFFICE):
        return []
    today = timezone.localdate()
    found: list[TodoItem] = []
    if has_role(user, Role.BUSINESS_OFFICE):
        for entry in selectors.ledger(user).filter(status=LedgerStatus.ESCALATED)[:20]:
            found.append(
                TodoItem(
                    f"会商并销号：{entry.subject.name}——{entry.description[:30]}",
                    reverse("chiefservice:ledger_detail", args=[entry.pk]),
                    "营商办",
                    entry.due_on,
                    entry.due_on < today,
                    "chiefservice",
                )
            )
        for subject in selectors.contracts_awaiting_assignment(user)[:20]:
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
        return found
    unit = user_organization(user)
    if unit is None or not unit.service_officers.filter(is_active=True).exists():
        return found
    for entry in selectors.ledger_overdue(user, today).exclude(status=LedgerStatus.ESCALATED)[:20]:
        found.append(
            TodoItem(
                f"台账事项超期未销号：{entry.subject.name}——{entry.description[:30]}",
                reverse("chiefservice:ledger_detail", args=[entry.pk]),
                f"{unit.name} {entry.officer.name}",
                entry.due_on,
                True,
                "chiefservice",
            )
        )
    if not MonthlyReport.objects.filter(
        unit=unit, year=today.year, month=today.month, submitted_at__isnull=False
    ).exists():
        due = rules.monthly_report_due_on(today.year, today.month)
        found.append(
            TodoItem(
                f"报送{today.year}年{today.month}月首席服务员工作台账",
                reverse("chiefservice:report_list"),
                f"{unit.name}填报员",
                due,
                False,
                "chiefservice",
            )
        )
    return found
