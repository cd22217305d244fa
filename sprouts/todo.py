"""The sprouts part of each user's 待办: hand-overs to acknowledge and cases to handle, read from the
workflows' turns (``workflow``): the office's hand-overs while it is their turn to acknowledge them, the
cases it leads while it is its turn to handle them."""

from __future__ import annotations

from django.urls import reverse

from orgs import discovery
from orgs.access import user_organization
from orgs.todo import LIMIT, TodoItem

from . import workflow
from .choices import Status
from .models import Case
from .selectors import pending_handovers_for


@discovery.todo
def items(user) -> list[TodoItem]:
    acknowledging = Status.PENDING in workflow.HANDOVER.states_for(user)
    handling = Status.HANDLING in workflow.CASE.states_for(user)
    office = user_organization(user)
    if office is None or not (acknowledging or handling):
        return []
    found = []
    if acknowledging:
        found += _acknowledgements(office)
    if handling:
        found += _handling(office)
    return found


def _acknowledgements(office) -> list[TodoItem]:
    waiting_for = workflow.waiting_for(Status.PENDING, office)
    found = []
    handovers = pending_handovers_for(office)
    for h in handovers[:LIMIT]:
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


def _handling(office) -> list[TodoItem]:
    waiting_for = workflow.waiting_for(Status.HANDLING, office)
    found = []
    cases = Case.objects.filter(lead_office=office, status=Status.HANDLING).order_by("found_on", "id")
    for case in cases[:LIMIT]:
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
