"""The awards items of the home page's 待办 list."""

from __future__ import annotations

from django.urls import reverse

from orgs.roles import Role, has_role
from orgs.todo import TodoItem

from .models import Allocation, AllocationStatus


def items(user) -> list[TodoItem]:
    if not has_role(user, Role.FGW_CLERK):
        return []
    drafts = Allocation.objects.filter(status=AllocationStatus.DRAFT).order_by("-year")[:5]
    return [
        TodoItem(
            text=f"{a.year}年度百大项目奖励资金分配（草稿）待核对、提交审批",
            url=reverse("awards:allocation", args=[a.year]),
            waiting_for="发改委经办",
            app="awards",
        )
        for a in drafts
    ]
