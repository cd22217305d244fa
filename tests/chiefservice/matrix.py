"""URL × persona → status for every chiefservice page (tests/test_url_coverage.py runs it)."""

from tests.conftest import PERSONA_SPECS
from tests.matrix import Row

from .world import build_world

EVERYONE = list(PERSONA_SPECS)
REPORTERS = ["reporter", "other_reporter", "municipal_reporter"]
READERS = [*REPORTERS, "business_office", "leader"]


def ok(*names, **others):
    """200 for ``names``; keyword arguments give other statuses (e.g. other_reporter=404)."""
    return {name: 200 for name in names} | others


# Objects belong to 宝清县: another county's and a 市直 reporter get 404 (never a hint it exists).
NOT_OURS = {"other_reporter": 404, "municipal_reporter": 404}


def w(attr):
    return lambda p: build_world(p)[attr].pk


def url(template, attr=None):
    if attr is None:
        return lambda p: template
    return lambda p: template.format(build_world(p)[attr].pk)


ROWS = [
    Row("chiefservice:index", url("/chiefservice/"), ok(*EVERYONE)),
    Row("chiefservice_public:roster", url("/public/service-officers/"), {"anonymous": 200} | ok(*EVERYONE)),
    # Roster
    Row("chiefservice:officer_list", url("/chiefservice/officers/"), ok(*READERS)),
    Row("chiefservice:officer_create", url("/chiefservice/officers/new/"), ok(*REPORTERS)),
    Row(
        "chiefservice:officer_detail",
        url("/chiefservice/officers/{}/", "liaison"),
        ok("reporter", "business_office", "leader", **NOT_OURS),
    ),
    Row(
        "chiefservice:officer_edit",
        url("/chiefservice/officers/{}/edit/", "liaison"),
        ok("reporter", **NOT_OURS),
    ),
    Row(
        "chiefservice:chief_change",
        url("/chiefservice/officers/{}/change-chief/", "chief"),
        ok("reporter", **NOT_OURS),
    ),
    Row(
        "chiefservice:officer_recall",
        url("/chiefservice/officers/{}/recall/", "liaison"),
        ok("reporter", **NOT_OURS),
    ),
    Row("chiefservice:change_list", url("/chiefservice/changes/"), ok(*READERS)),
    # Subjects and assignments
    Row("chiefservice:subject_list", url("/chiefservice/subjects/"), ok(*READERS)),
    Row(
        "chiefservice:subject_create",
        url("/chiefservice/subjects/new/"),
        ok(*REPORTERS, "business_office"),
    ),
    Row(
        "chiefservice:subject_import",
        url("/chiefservice/subjects/import/"),
        ok(*REPORTERS, "business_office"),
    ),
    Row(
        "chiefservice:subject_detail",
        url("/chiefservice/subjects/{}/", "subject"),
        ok("reporter", "business_office", "leader", **NOT_OURS),
    ),
    Row(
        "chiefservice:subject_edit",
        url("/chiefservice/subjects/{}/edit/", "subject"),
        ok("reporter", "business_office", **NOT_OURS),
    ),
    Row(
        "chiefservice:assignment_create",
        url("/chiefservice/subjects/{}/assign/", "subject"),
        ok("reporter", "business_office", **NOT_OURS),
    ),
    Row(
        "chiefservice:assignment_end",
        url("/chiefservice/assignments/{}/end/", "assignment"),
        ok("reporter", "business_office", **NOT_OURS),
    ),
    Row("chiefservice:coverage", url("/chiefservice/coverage/"), ok(*READERS)),
    # Ledger
    Row("chiefservice:ledger_list", url("/chiefservice/ledger/"), ok(*READERS)),
    Row("chiefservice:ledger_create", url("/chiefservice/ledger/new/"), ok(*REPORTERS)),
    Row(
        "chiefservice:ledger_overdue",
        url("/chiefservice/ledger/overdue/"),
        ok("business_office", "leader"),
    ),
    Row("chiefservice:ledger_export", url("/chiefservice/ledger/export/?year=2020&month=8"), ok(*READERS)),
    Row(
        "chiefservice:ledger_detail",
        url("/chiefservice/ledger/{}/", "entry"),
        ok("reporter", "business_office", "leader", **NOT_OURS),
    ),
    # An open entry is worked by its unit; 营商办 acts only on escalated ones (403 here).
    Row(
        "chiefservice:ledger_action",
        url("/chiefservice/ledger/{}/start/", "entry"),
        ok("reporter", **NOT_OURS),
    ),
    # Monthly reports
    Row("chiefservice:report_list", url("/chiefservice/reports/"), ok(*READERS)),
    Row("chiefservice:report_generate", url("/chiefservice/reports/new/"), ok(*REPORTERS)),
    Row(
        "chiefservice:report_detail",
        url("/chiefservice/reports/{}/", "report"),
        ok("reporter", "business_office", "leader", **NOT_OURS),
    ),
    Row(
        "chiefservice:report_submit",
        url("/chiefservice/reports/{}/submit/", "report"),
        {"reporter": 302, **NOT_OURS},
        method="post",
    ),
    # Meetings, articles, flags
    Row("chiefservice:meeting_list", url("/chiefservice/meetings/"), ok(*READERS)),
    Row("chiefservice:meeting_create", url("/chiefservice/meetings/new/"), ok("business_office")),
    Row(
        "chiefservice:meeting_detail",
        url("/chiefservice/meetings/{}/", "meeting"),
        ok("business_office", "leader", reporter=404, **NOT_OURS),
    ),
    Row(
        "chiefservice:agenda_add",
        url("/chiefservice/meetings/{}/agenda/", "meeting"),
        ok("business_office"),
    ),
    Row(
        "chiefservice:agenda_decide",
        url("/chiefservice/agenda/{}/decision/", "agenda_item"),
        ok("business_office"),
    ),
    Row("chiefservice:article_list", url("/chiefservice/articles/"), ok(*READERS)),
    Row("chiefservice:article_create", url("/chiefservice/articles/new/"), ok(*REPORTERS)),
    Row("chiefservice:flags", url("/chiefservice/flags/"), ok(*READERS)),
    # Evaluation
    Row("chiefservice:survey_list", url("/chiefservice/surveys/"), ok(*READERS)),
    Row("chiefservice:survey_create", url("/chiefservice/surveys/new/"), ok("business_office")),
    Row("chiefservice:evaluation", url("/chiefservice/evaluation/?year=2020&quarter=3"), ok(*READERS)),
    # Accountability: 营商办 and the dispatching unit only — not even the read-only leader.
    Row("chiefservice:case_list", url("/chiefservice/cases/"), ok(*REPORTERS, "business_office")),
    Row("chiefservice:case_create", url("/chiefservice/cases/new/"), ok("business_office")),
    Row(
        "chiefservice:case_detail",
        url("/chiefservice/cases/{}/", "case"),
        ok("reporter", "business_office", **NOT_OURS),
    ),
    # 第二十九条: the dispatching unit claims (营商办 does not); 营商办 decides once a claim is pending.
    Row(
        "chiefservice:case_claim",
        url("/chiefservice/cases/{}/claim/", "case"),
        ok("reporter", **NOT_OURS),
    ),
    # 宝清县's 填报员 reaches the steps of 营商办 but is refused by their permission (403 with its reason).
    Row(
        "chiefservice:case_exemption",
        url("/chiefservice/cases/{}/exemption/", "claimed_case"),
        ok("business_office", **NOT_OURS),  # the claim was filed by 宝清县's 填报员
    ),
    Row(
        "chiefservice:case_decide",
        url("/chiefservice/cases/{}/decide/", "case"),
        ok("business_office", **NOT_OURS),
    ),
    Row(
        "chiefservice:case_evidence",
        url("/chiefservice/cases/{}/evidence/", "case"),
        ok("reporter", "business_office", **NOT_OURS),
    ),
]
