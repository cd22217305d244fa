"""Writes of the awards app: data entry, scoring, the approval workflow and the money per unit.

Views, the Excel import, the commands and the tasks all come here; reads live in ``awards.selectors``.
"""

from orgs.workflow import ConcurrentChange

from ..permissions import (
    ADJUST_NOT_ALLOWED,
    ALREADY_DISBURSED,
    DISQUALIFIED_NO_PAYMENT,
    DISQUALIFY_SUBMITTED,
    FOUR_EYES,
    REVISE_NOT_ALLOWED,
)
from ..selectors import allocation_history
from ..workflow import APPROVED as APPROVED_STATES
from ..workflow import PENDING as PENDING_CHANGE
from .entry import (
    NO_ALLOCATION,
    NOT_AN_ENTITY,
    YearLocked,
    ensure_unlocked,
    latest_allocation,
    locked_message,
    project_save,
    scheme_for_year,
    scheme_of,
    scheme_save,
    snapshot_of,
    target_save,
    year_is_locked,
)
from .facts import (
    ensure_verified,
    mark_pending,
    projects_verify,
    statistics_apply,
    statistics_refusal,
    unverified_names,
)
from .money import clawback_recover, line_adjust, line_disburse, line_disqualify, payable_lines
from .scoring import (
    allocation_compute,
    inputs_changes,
    inputs_fingerprint,
    is_stale,
    pool_warning,
    rate_helper,
    what_if,
)
from .workflow import (
    allocation_approve,
    allocation_record_city_approval,
    allocation_return,
    allocation_revise,
    allocation_submit,
)

__all__ = [
    "ensure_verified",
    "mark_pending",
    "projects_verify",
    "statistics_apply",
    "statistics_refusal",
    "unverified_names",
    "ADJUST_NOT_ALLOWED",
    "ALREADY_DISBURSED",
    "APPROVED_STATES",
    "DISQUALIFIED_NO_PAYMENT",
    "DISQUALIFY_SUBMITTED",
    "FOUR_EYES",
    "NO_ALLOCATION",
    "NOT_AN_ENTITY",
    "PENDING_CHANGE",
    "REVISE_NOT_ALLOWED",
    "ConcurrentChange",
    "YearLocked",
    "allocation_approve",
    "allocation_compute",
    "allocation_history",
    "allocation_record_city_approval",
    "allocation_return",
    "allocation_revise",
    "allocation_submit",
    "clawback_recover",
    "ensure_unlocked",
    "inputs_changes",
    "inputs_fingerprint",
    "is_stale",
    "latest_allocation",
    "line_adjust",
    "line_disburse",
    "line_disqualify",
    "locked_message",
    "payable_lines",
    "pool_warning",
    "project_save",
    "rate_helper",
    "scheme_for_year",
    "scheme_of",
    "scheme_save",
    "snapshot_of",
    "target_save",
    "what_if",
    "year_is_locked",
]
