"""Who may do what with the platform's own records (notices); each domain app has its own ``permissions.py``."""

from __future__ import annotations

from .access import ALLOW, Decision, deny

NOT_YOUR_NOTICE = "只能处理发给本人的通知。"


def can_mark_read(user, notice) -> Decision:
    return ALLOW if notice.recipient_id == getattr(user, "pk", None) else deny(NOT_YOUR_NOTICE)
