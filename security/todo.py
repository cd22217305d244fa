"""The 审计管理员's 待办: role changes not yet reviewed (every grant of a role is a business power given)."""

from __future__ import annotations

from django.urls import reverse

from orgs import discovery
from orgs.roles import Role
from orgs.todo import TodoItem

from . import permissions
from .models import AuditEvent

TEXT = "{count} 条角色变更待复核（最近一条：{latest}）"


def pending_role_changes():
    """Role records after the last review (a review is itself an audit record naming the last seq seen)."""
    reviewed = (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.REVIEW)
        .order_by("-seq")
        .values_list("target", flat=True)
    ).first()
    last_seen = int(reviewed) if reviewed and reviewed.isdigit() else 0
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE, seq__gt=last_seen).order_by("seq")


@discovery.todo
def items(user) -> list[TodoItem]:
    if not permissions.can_read_audit(user):
        return []
    pending = pending_role_changes()
    latest = pending.last()
    if latest is None:
        return []
    return [
        TodoItem(
            text=TEXT.format(count=pending.count(), latest=f"{latest.target} {latest.detail}"),
            url=f"{reverse('security:audit')}?kind={AuditEvent.Kind.ROLE}",
            waiting_for=str(Role.AUDIT_ADMIN),
            app="security",
        )
    ]
