"""Every write of the chiefservice app: keyword-only, atomic, validated, with history and notifications.

One module per part of the gazette; callers import from here.
"""

from .cases import (  # noqa: F401
    case_claim_exemption,
    case_decide,
    case_decide_exemption,
    case_open,
)
from .common import (  # noqa: F401
    ALREADY_ENDED,
    CASE_ALREADY_CLAIMED,
    CASE_DECIDED,
    ENTRY_NOT_ESCALATED,
    NOT_YOUR_UNIT,
    OFFICER_INACTIVE,
    ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED,
    REPORT_ALREADY_SUBMITTED,
    REPORT_FUTURE_MONTH,
    RESOLUTION_REQUIRED,
    acts_for_unit,
    may_record_for,
)
from .ledger import (  # noqa: F401
    agenda_item_add,
    agenda_item_decide,
    article_create,
    ledger_entry_create,
    ledger_entry_escalate,
    ledger_entry_resolve,
    ledger_entry_start,
    meeting_create,
    monthly_report_generate,
    monthly_report_submit,
    survey_create,
)
from .roster import (  # noqa: F401
    OUTSIDE_OWN_DISTRICT,
    assignment_create,
    assignment_end,
    assignment_recorded,
    chief_change,
    coverage_refresh,
    officer_create,
    officer_recall,
    officer_update,
    subject_create,
    subject_update,
)
