"""企业首席服务员 (双政办发〔2020〕17号): roster, served subjects, assignments, ledger, meetings, evaluation.

One module per concern; callers import from here."""

from .accountability import (  # noqa: F401
    AccountabilityCase,
    CaseStatus,
)
from .evaluation import (  # noqa: F401
    SURVEY_IN_THE_FUTURE,
    SatisfactionSurvey,
    SurveyMethod,
)
from .ledger import (  # noqa: F401
    CLOSED_BEFORE_RECEIVED,
    DUE_BEFORE_RECEIVED,
    LedgerEntry,
    LedgerKind,
    LedgerLog,
    LedgerStatus,
    MonthlyReport,
    MonthlyReportRow,
    Satisfaction,
    report_due_day,
    report_due_on,
)
from .meetings import (  # noqa: F401
    AgendaItem,
    ArticleCategory,
    Meeting,
    MeetingKind,
    NewsArticle,
)
from .roster import (  # noqa: F401
    BUSINESS_OFFICE_READERS,
    CHIEF_PERSON_FIELDS,
    CITY_LEVEL_KINDS,
    CREDIT_CODE_REQUIRED,
    OFFICER_INACTIVE,
    Assignment,
    AssignmentMode,
    Officer,
    OfficerChange,
    OfficerRole,
    Rank,
    ServedSubject,
    SubjectKind,
    SubjectSize,
)
