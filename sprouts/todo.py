"""The sprouts part of each user's 待办: hand-overs to acknowledge and cases to handle — each listed when its
permission (``permissions.can_acknowledge``, ``permissions.can_close``) lets the user act on it; whose turn it
is reads the workflows' declaration (``workflow``)."""

from __future__ import annotations

from django.urls import reverse

from orgs import discovery
from orgs.access import user_organization
from orgs.todo import LIMIT, TodoItem

from . import permissions, workflow
from .choices import Status
from .models import Case
from .selectors import pending_handovers_for


@discovery.todo
def items(user) -> list[TodoItem]:
    acknowledging = workflow.ACKNOWLEDGE.role_decision(user)
    handling = workflow.CLOSE.role_decision(user)
    office = user_organization(user)
    if office is None or not (acknowledging or handling):
        return []
    found = []
    if acknowledging:
        found += _acknowledgements(user, office)
    if handling:
        found += _handling(user, office)
    return found


def _acknowledgements(user, office) -> list[TodoItem]:
    waiting_for = workflow.waiting_for(Status.PENDING, office)
    found = []
    handovers = pending_handovers_for(office)
    for h in handovers[:LIMIT]:
        if not permissions.can_acknowledge(user, h):
            continue
        found.append(
            TodoItem(
                text=f"确认接收豆芽案件 {h.case.number}（{h.from_office}移交）",
                url=reverse("sprouts:case_detail", args=[h.case_id]),
                waiting_for=waiting_for,
                due=h.due_on,
                overdue=h.is_overdue,
                app="sprouts",
            )
        )
    return found + _more(handovers, "件移交待确认接收", Status.PENDING, waiting_for)


def _handling(user, office) -> list[TodoItem]:
    waiting_for = workflow.waiting_for(Status.HANDLING, office)
    found = []
    cases = Case.objects.filter(lead_office=office, status=Status.HANDLING).order_by("found_on", "id")
    for case in cases[:LIMIT]:
        if not permissions.can_close(user, case):
            continue
        found.append(
            TodoItem(
                text=f"办理豆芽案件 {case.number}（{case.business_name}）",
                url=reverse("sprouts:case_detail", args=[case.pk]),
                waiting_for=waiting_for,
                app="sprouts",
            )
        )
    return found + _more(cases, "件案件待办理", Status.HANDLING, waiting_for)


def _more(queryset, what: str, status: str, waiting_for: str) -> list[TodoItem]:
    """One line for what the home page does not list one by one, linking to the filtered case list."""
    if not queryset[LIMIT : LIMIT + 1].exists():  # a cheap probe; counting only when there is more
        return []
    rest = queryset.count() - LIMIT
    url = f"{reverse('sprouts:index')}?status={status}"
    return [TodoItem(text=f"另有 {rest} {what}", url=url, waiting_for=waiting_for, app="sprouts")]
