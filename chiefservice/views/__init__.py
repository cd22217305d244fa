"""The chiefservice views, one module per part of 双政办发〔2020〕17号; urls.py imports them from here."""

from .base import (  # noqa: F401
    IndexView,
    PublicRosterView,
)
from .cases import (  # noqa: F401
    CaseClaimView,
    CaseCreateView,
    CaseDecideView,
    CaseDetailView,
    CaseEvidenceView,
    CaseExemptionView,
    CaseListView,
)
from .ledger import (  # noqa: F401
    LedgerActionView,
    LedgerCreateView,
    LedgerDetailView,
    LedgerExportView,
    LedgerListView,
    LedgerOverdueView,
    ReportDetailView,
    ReportGenerateView,
    ReportListView,
    ReportSubmitView,
)
from .meetings import (  # noqa: F401
    AgendaAddView,
    AgendaDecisionView,
    ArticleCreateView,
    ArticleListView,
    EvaluationView,
    FlagsView,
    MeetingCreateView,
    MeetingDetailView,
    MeetingListView,
    SurveyCreateView,
    SurveyListView,
)
from .roster import (  # noqa: F401
    AssignmentCreateView,
    AssignmentEndView,
    ChangeListView,
    ChiefChangeView,
    CoverageView,
    OfficerCreateView,
    OfficerDetailView,
    OfficerEditView,
    OfficerListView,
    RecallView,
    SubjectCreateView,
    SubjectDetailView,
    SubjectEditView,
    SubjectImportView,
    SubjectListView,
)
