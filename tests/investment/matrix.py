"""URL × persona → status for every investment URL (tests/test_url_coverage.py runs it)."""

from datetime import datetime

from django.utils import timezone

from investment import services
from investment.models import EvaluationStatus, IndicatorReview, TargetSet, TargetStatus
from tests.conftest import PERSONA_SPECS
from tests.matrix import Row

from .factories import (
    ProjectFactory,
    evaluation,
    evaluation_evidence,
    evidence_for,
    org,
    proposal,
    published,
    targets_2020,
)

EVERYONE = list(PERSONA_SPECS)
REPORTERS = ["reporter", "other_reporter", "municipal_reporter"]
UNIT_ROLES = [*REPORTERS, "assessor", "leader"]
OVERSIGHT = ["assessor", "leader", "city_office"]


def ok(names, status=200):
    return {name: status for name in names}


def own(status=200, readers=("assessor", "leader")):
    """The 宝清县 reporter's own row: readers see it, other organizations' reporters get 404."""
    return {"reporter": status, "other_reporter": 404, "municipal_reporter": 404, **ok(readers, status)}


def draft_targets(p):
    found = TargetSet.objects.filter(year=2031, status=TargetStatus.DRAFT).first()
    return found or services.target_set_create(year=2031, by=p.city_office)


def project(p):
    return ProjectFactory(organization=org("宝清县"), year=2020, created_by=p.reporter)


def open_evaluation(p):
    return evaluation(org("宝清县"), 2020)


def review(p):
    ev = evaluation(org("宝清县"), 2019)
    if ev.status == EvaluationStatus.DRAFT:
        ev.report = "自评"
        ev.save()
        evaluation_evidence(ev, p.reporter)
        services.evaluation_submit(
            evaluation=ev, by=p.reporter, now=timezone.make_aware(datetime(2019, 12, 1, 10))
        )
    return IndicatorReview.objects.filter(evaluation=ev).first()


ROWS = [
    Row("investment:index", lambda p: "/investment/", ok(EVERYONE)),
    Row("investment:target_list", lambda p: "/investment/targets/", ok(EVERYONE)),
    Row(
        "investment:target_create",
        lambda p: "/investment/targets/new/",
        ok(["city_office"], 302),
        method="post",
        data={"year": 2032},
    ),
    Row("investment:target_detail", lambda p: f"/investment/targets/{targets_2020().pk}/", ok(EVERYONE)),
    Row(
        "investment:target_detail",
        lambda p: f"/investment/targets/{draft_targets(p).pk}/",
        ok(["city_office", *OVERSIGHT]),
        default=404,
    ),
    Row(
        "investment:target_edit",
        lambda p: f"/investment/targets/{draft_targets(p).pk}/edit/",
        ok(["city_office"]),
    ),
    Row(
        "investment:target_edit",
        lambda p: f"/investment/targets/{targets_2020().pk}/edit/",
        ok(["city_office"], 403),
    ),
    Row(
        "investment:target_issue",
        lambda p: f"/investment/targets/{draft_targets(p).pk}/issue/",
        ok(["city_office"], 405),
    ),
    Row(
        "investment:target_export", lambda p: f"/investment/targets/{targets_2020().pk}/export/", ok(EVERYONE)
    ),
    Row("investment:project_list", lambda p: "/investment/projects/", ok(UNIT_ROLES)),
    Row("investment:project_create", lambda p: "/investment/projects/new/", ok([*REPORTERS])),
    Row("investment:project_upload", lambda p: "/investment/projects/upload/", ok([*REPORTERS], 405)),
    Row("investment:project_detail", lambda p: f"/investment/projects/{project(p).pk}/", own()),
    Row(
        "investment:project_edit",
        lambda p: f"/investment/projects/{project(p).pk}/edit/",
        own(readers=()),
    ),
    Row(
        "investment:project_delete",
        lambda p: f"/investment/projects/{project(p).pk}/delete/",
        ok([*REPORTERS], 405),
    ),
    Row(
        "investment:project_evidence",
        lambda p: f"/investment/projects/{project(p).pk}/evidence/",
        ok([*REPORTERS], 405),
    ),
    Row(
        "investment:evidence_download",
        lambda p: f"/investment/evidence/{evidence_for(project(p), p.reporter).pk}/",
        own(),
    ),
    Row("investment:indicators", lambda p: "/investment/indicators/?year=2020", ok([*REPORTERS, *OVERSIGHT])),
    # Before the unit saves, the page says 尚未开始 (a GET creates nothing); once saved, it leads on (302).
    Row(
        "investment:my_evaluation",
        lambda p: "/investment/evaluation/?year=2020",
        ok([*REPORTERS]),
    ),
    Row(
        "investment:my_evaluation",
        lambda p: f"/investment/evaluation/?year={open_evaluation(p).year}",
        {"reporter": 302, "other_reporter": 200, "municipal_reporter": 200},
    ),
    Row("investment:evaluation_list", lambda p: "/investment/evaluations/", ok(UNIT_ROLES)),
    Row("investment:evaluation_detail", lambda p: f"/investment/evaluations/{open_evaluation(p).pk}/", own()),
    Row(
        "investment:evaluation_report",
        lambda p: f"/investment/evaluations/{open_evaluation(p).pk}/report/",
        ok([*REPORTERS], 405),
    ),
    Row(
        "investment:evaluation_evidence",
        lambda p: f"/investment/evaluations/{open_evaluation(p).pk}/evidence/",
        ok([*REPORTERS], 405),
    ),
    Row(
        "investment:evaluation_kpb",
        lambda p: f"/investment/evaluations/{open_evaluation(p).pk}/kpb/",
        ok(["assessor"], 405),
    ),
    Row(
        "investment:review_complete",
        lambda p: f"/investment/evaluations/{open_evaluation(p).pk}/complete/",
        ok(["assessor"], 405),
    ),
    Row("investment:review", lambda p: f"/investment/reviews/{review(p).pk}/", ok(["assessor"], 405)),
    Row("investment:spotcheck_list", lambda p: "/investment/spotchecks/", ok(UNIT_ROLES)),
    Row("investment:spotcheck_create", lambda p: "/investment/spotchecks/new/", ok(["assessor"])),
    Row("investment:scores", lambda p: "/investment/scores/2020/", ok(OVERSIGHT)),
    Row("investment:publish", lambda p: "/investment/scores/2020/publish/", ok(["assessor"], 405)),
    Row("investment:results", lambda p: f"/investment/results/{published().year}/", ok(EVERYONE)),
    Row(
        "investment:results_export", lambda p: f"/investment/results/{published().year}/export/", ok(EVERYONE)
    ),
    Row(
        "investment:results_notice", lambda p: f"/investment/results/{published().year}/notice/", ok(EVERYONE)
    ),
    # A named version of the 通报 (spec decision: frozen results) reads like the one in force.
    Row(
        "investment:results_version",
        lambda p: f"/investment/results/{published().year}/v{published().edition}/",
        ok(EVERYONE),
    ),
    Row(
        "investment:results_version_export",
        lambda p: f"/investment/results/{published().year}/v{published().edition}/export/",
        ok(EVERYONE),
    ),
    Row(
        "investment:results_version_notice",
        lambda p: f"/investment/results/{published().year}/v{published().edition}/notice/",
        ok(EVERYONE),
    ),
    # 撤回 is a POST-only step of the 考核组办公室 (市经合局): its GET is 405 for the assessor only.
    Row(
        "investment:withdraw",
        lambda p: f"/investment/results/{published().year}/v{published().edition}/withdraw/",
        ok(["assessor"], 405),
    ),
    Row("investment:bases", lambda p: "/investment/bases/2020/", ok(OVERSIGHT)),
    Row("investment:parameters", lambda p: "/investment/parameters/2020/", ok(OVERSIGHT)),
    Row("investment:proposal_list", lambda p: "/investment/proposals/", ok(OVERSIGHT)),
    Row("investment:proposal_create", lambda p: "/investment/proposals/new/", ok(["assessor"], 405)),
    Row(
        "investment:proposal_detail",
        lambda p: f"/investment/proposals/{proposal(p.assessor).pk}/",
        ok(OVERSIGHT),
    ),
    Row(
        "investment:proposal_submit",
        lambda p: f"/investment/proposals/{proposal(p.assessor).pk}/submit/",
        ok(["assessor"], 405),
    ),
    Row(
        "investment:proposal_approve",
        lambda p: f"/investment/proposals/{proposal(p.assessor).pk}/approve/",
        ok(["city_office"], 405),
    ),
]
