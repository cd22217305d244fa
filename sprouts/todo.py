"""The sprouts part of each user's 待办: hand-overs to acknowledge and cases to handle."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from orgs.access import user_organization
from orgs.roles import has_role
from orgs.todo import LIMIT, TodoItem

from .choices import Status
from .models import Case
from .permissions import SUPERVISING_ROLES
from .selectors import pending_handovers_for


def items(user) -> list[TodoItem]:
    if not has_role(user, *SUPERVISING_ROLES):
        return []
    office = user_organization(user)
    if office is None:
        return []
    today = timezone.localdate()
    found = []
    index = reverse("sprouts:index")
    handovers = pending_handovers_for(office)
    for h in handovers[:LIMIT]:
        found.append(
            TodoItem(
                text=f"确认接收豆芽案件 {h.case.number}（{h.from_office}移交）",
                url=reverse("sprouts:case_detail", args=[h.case_id]),
                waiting_for=f"{office}",
                due=h.due_on,
                overdue=h.due_on < today,
                app="sprouts",
            )
        )
    found += _more(handovers, "件移交待确认接收", f"{index}?status={Status.PENDING}", office)
    handling = Case.objects.filter(lead_office=office, status=Status.HANDLING).order_by("found_on", "id")
    for case in handling[:LIMIT]:
        found.append(
            TodoItem(
                text=f"办理豆芽案件 {case.number}（{case.business_name}）",
                url=reverse("sprouts:case_detail", args=[case.pk]),
                waiting_for=f"{office}",
                app="sprouts",
            )
        )
    found += _more(handling, "件案件待办理", f"{index}?status={Status.HANDLING}", office)
    return found


def _more(queryset, what: str, url: str, office) -> list[TodoItem]:
    """One line for what the home page does not list one by one, linking to the filtered case list."""
    if not queryset[LIMIT : LIMIT + 1].exists():  # a cheap probe; counting only when there is more
        return []
    rest = queryset.count() - LIMIT
    return [TodoItem(text=f"另有 {rest} {what}", url=url, waiting_for=f"{office}", app="sprouts")]
