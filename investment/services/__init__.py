"""Every write of the investment app: keyword-only, atomic, validated, logged, with history and notices.

One module per part of the gazette; callers import from here (``from investment import services``).
"""

from .assessment import (  # noqa: F401
    base_record,
    evaluation_complete_review,
    evaluation_open,
    evaluation_save_report,
    evaluation_set_kpb,
    evaluation_submit,
    remind_self_evaluation,
    review_record,
    spot_check_record,
    units_without_submission,
)
from .common import (  # noqa: F401
    ALREADY_ISSUED,
    ALREADY_PUBLISHED,
    CONFIRM_UNSUBMITTED,
    CORRECTION_NEEDS_COMMENT,
    CORRECTION_NEEDS_VALUE,
    DOCUMENT_REQUIRED,
    DRAFT_EXISTS,
    DRAFTED_CONCURRENTLY,
    EVALUATION_LOCKED,
    EVIDENCE_REQUIRED,
    KPB_ONLY_MUNICIPAL,
    NO_TARGETS,
    NOT_ASSESSED,
    NOT_PUBLISHED,
    NOT_UNDER_REVIEW,
    OWN_PROPOSAL,
    REASON_REQUIRED,
    REPORT_REQUIRED,
    REVIEWS_PENDING,
    STARTED_BEFORE_SIGNED,
    STILL_UNDER_REVIEW,
    SUPPLIER_REQUIRED,
    TARGETS_READ_ONLY,
    WEIGHT_OF_ANOTHER_YEAR,
)
from .projects import (  # noqa: F401
    evidence_add,
    parameters_ensure,
    parameters_update,
    project_delete,
    project_save,
    projects_import,
)
from .results import (  # noqa: F401
    proposal_approve,
    proposal_create,
    proposal_submit,
    publication_publish,
    publication_withdraw,
    unsubmitted_confirmation,
)
from .targets import target_rows_save, target_set_create, target_set_issue  # noqa: F401
