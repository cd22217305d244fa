"""Shared pieces of the chiefservice services: error messages, who acts for a unit, history stamping."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from ..permissions import (  # noqa: F401 - re-exported: one message for the page and the service
    ALREADY_ENDED,
    CASE_DECIDED,
    NOT_YOUR_UNIT,
    OFFICER_INACTIVE,
    ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED,
    REPORT_ALREADY_SUBMITTED,
    acts_for_unit,
    may_record_for,
)
from ..permissions import CLAIM_NOT_OPEN as CASE_ALREADY_CLAIMED  # noqa: F401

RESOLUTION_REQUIRED = "销号须填写办理结果。"
ENTRY_NOT_ESCALATED = "只有已提交会商的台账事项才能列入会商议程。"
REPORT_FUTURE_MONTH = "不能生成尚未开始月份的台账报告。"


def _stamp(obj, by) -> None:
    obj._history_user = by


def _sync(obj, current):
    """The caller's instance shows the row as the step left it (as ``refresh_from_db`` would, without a query)."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(current, field.attname))
    return current


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _business_office_url(name: str, *args) -> str:
    return reverse(f"chiefservice:{name}", args=args)
