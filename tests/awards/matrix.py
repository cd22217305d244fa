"""Permission matrix of the awards app: every URL × persona → expected status."""

from decimal import Decimal

from tests.matrix import Row

from .factories import verify_year

YEAR = 2030
REPORTERS = {"reporter": 200, "other_reporter": 200, "municipal_reporter": 200}
PROJECT_READERS = {**REPORTERS, "fgw_clerk": 200, "fgw_approver": 200, "leader": 200}
ALLOCATION_READERS = {
    "fgw_clerk": 200,
    "fgw_approver": 200,
    "city_office": 200,
    "finance": 200,
    "leader": 200,
}


def baoqing_project(personas):
    from awards.models import Category, Project
    from orgs.models import Organization

    project, _ = Project.objects.get_or_create(
        year=YEAR,
        name="矩阵测试项目",
        entity=Organization.objects.get(name="宝清县"),
        defaults={
            "category": Category.PROV,
            "planned_investment": Decimal(1000),
            "actual_investment": Decimal(500),
            "started": True,
        },
    )
    if not project.is_verified:
        # A unit's entry is a declaration until 发改委经办 verifies it, and a year with a 待核实 project is
        # not computed: verified through the services, as the pages do (tests/awards/factories.py).
        verify_year(YEAR, by=personas.fgw_clerk)
        project.refresh_from_db()
    return project


def computed_year(personas):
    from awards import services

    baoqing_project(personas)
    if services.latest_allocation(YEAR) is None:
        services.allocation_compute(year=YEAR)
    return YEAR


def baoqing_line_url(personas):
    from orgs.models import Organization

    year = computed_year(personas)
    return f"/awards/{year}/entity/{Organization.objects.get(name='宝清县').pk}/"


FGW = {"fgw_clerk": 200, "fgw_approver": 200}
CLAWBACK_READERS = {"finance": 200, "fgw_clerk": 200, "fgw_approver": 200, "leader": 200}


def baoqing_line(personas):
    from orgs.models import Organization

    computed_year(personas)
    allocation = services_latest(YEAR)
    return allocation.lines.get(entity=Organization.objects.get(name="宝清县"))


def services_latest(year):
    from awards import services

    return services.latest_allocation(year)


def disqualification(personas):
    """A disqualification record with a stored document and a pending clawback, made directly."""
    from django.core.files.base import ContentFile

    from awards.models import Clawback, Disqualification, Ground

    line = baoqing_line(personas)
    record = Disqualification.objects.filter(line=line).first()
    if record is None:
        record = Disqualification(
            line=line, ground=Ground.AUDIT, description="矩阵测试", by=personas.fgw_clerk, after_approval=True
        )
        record.document.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
        record.save()
        Clawback.objects.create(line=record.line, disqualification=record, amount=1)
    return record


ROWS = [
    # a role with nothing in the award year is refused, with why (and not offered the menu entry)
    Row("awards:index", lambda p: "/awards/", {**PROJECT_READERS, **ALLOCATION_READERS}),
    Row("awards:project_list", lambda p: "/awards/projects/", PROJECT_READERS),
    Row("awards:project_create", lambda p: "/awards/projects/new/", REPORTERS),
    Row(
        "awards:project_update",
        lambda p: f"/awards/projects/{baoqing_project(p).pk}/",
        # 14号 四(二): 发改委经办 may correct any unit's project (with a reason)
        {"reporter": 200, "fgw_clerk": 200, "other_reporter": 404, "municipal_reporter": 404},
    ),
    # 15号 四(三): the targets are assigned by 发改委; units and 发改委审批 see them read-only
    Row(
        "awards:target_edit",
        lambda p: "/awards/targets/",
        {**REPORTERS, "fgw_clerk": 200, "fgw_approver": 200},
    ),
    Row("awards:import", lambda p: "/awards/import/", {**REPORTERS, "fgw_clerk": 200}),
    Row(
        "awards:import_confirm",
        lambda p: "/awards/import/confirm/",
        {name: 302 for name in [*REPORTERS, "fgw_clerk"]},
        method="post",
    ),
    Row("awards:import_template", lambda p: "/awards/import/template/", {**REPORTERS, "fgw_clerk": 200}),
    # Verified facts: 发改委 sees the year's 待核实/已核实 projects (only 发改委经办 verifies, on POST) …
    Row("awards:verify", lambda p: f"/awards/{baoqing_project(p).year}/verify/", FGW),
    # … and 发改委经办 imports the 市统计局 入统项目清单; a confirmation without a previewed upload is sent
    # back to the upload page (302).
    Row("awards:statistics_import", lambda p: "/awards/statistics/", {"fgw_clerk": 200}),
    Row(
        "awards:statistics_confirm",
        lambda p: "/awards/statistics/confirm/",
        {"fgw_clerk": 302},
        method="post",
    ),
    Row("awards:scheme", lambda p: f"/awards/{YEAR}/scheme/", {"fgw_clerk": 200}),
    Row(
        "awards:compute",
        lambda p: f"/awards/{YEAR}/compute/",
        {"fgw_clerk": 302},
        method="post",
    ),
    Row("awards:allocation", lambda p: f"/awards/{computed_year(p)}/", ALLOCATION_READERS),
    # A unit's 填报员 reads its own unit's score page; another unit's is not found for it.
    Row(
        "awards:allocation_line",
        baoqing_line_url,
        {**ALLOCATION_READERS, "reporter": 200, "other_reporter": 404, "municipal_reporter": 404},
    ),
    Row("awards:export", lambda p: f"/awards/{computed_year(p)}/export/", ALLOCATION_READERS),
    # The 分配方案 notice of the archived 2019 year (市政府批复 recorded): 发改委 only.
    # drafted by 发改委, issued by the 市政府办公室 whose 红头 it carries
    Row("awards:notice", lambda p: "/awards/2019/notice/", {**FGW, "city_office": 200}),
    Row("awards:reconcile", lambda p: "/awards/reconcile/", FGW),
    Row("awards:clawbacks", lambda p: "/awards/clawbacks/", CLAWBACK_READERS),
    Row(
        "awards:clawback_recover",
        lambda p: f"/awards/clawbacks/{disqualification(p).clawback.pk}/recover/",
        {"finance": 302},
        method="post",
    ),
    Row("awards:history", lambda p: f"/awards/{computed_year(p)}/history/", ALLOCATION_READERS),
    # the workflow steps, posted with a stale version or without the required fields: nothing changes, the
    # permitted role is redirected back with a message (302) — the permission is asked before the form is read,
    # so a step the year's state does not offer yet (the matrix's year is a draft) refuses with its reason — or
    # sees the form with its errors (200)
    Row(
        "awards:submit",
        lambda p: f"/awards/{computed_year(p)}/submit/",
        {"fgw_clerk": 302},
        method="post",
        data={"version": "999999"},
    ),
    Row(
        "awards:approve",
        lambda p: f"/awards/{computed_year(p)}/approve/",
        {"fgw_approver": 302},
        method="post",
        data={"version": "999999"},
    ),
    Row(
        "awards:return",
        lambda p: f"/awards/{computed_year(p)}/return/",
        {"fgw_approver": 302},
        method="post",
    ),
    Row(
        "awards:city_approval",
        lambda p: f"/awards/{computed_year(p)}/city-approval/",
        {"city_office": 302},
        method="post",
    ),
    Row(
        "awards:revise",
        lambda p: f"/awards/{computed_year(p)}/revise/",
        {"fgw_clerk": 302},
        method="post",
    ),
    Row(
        "awards:line_adjust",
        lambda p: f"/awards/lines/{baoqing_line(p).pk}/adjust/",
        {"fgw_clerk": 200},
        method="post",
    ),
    Row(
        "awards:line_disqualify",
        lambda p: f"/awards/lines/{baoqing_line(p).pk}/disqualify/",
        {"fgw_clerk": 200},
        method="post",
    ),
    Row(
        "awards:line_disburse",
        lambda p: f"/awards/lines/{baoqing_line(p).pk}/disburse/",
        {"finance": 302},
        method="post",
    ),
    Row(
        "awards:document",
        lambda p: f"/awards/disqualifications/{disqualification(p).pk}/document/",
        ALLOCATION_READERS,
    ),
]
