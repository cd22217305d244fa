"""Verified facts (awards spec, "verified facts"; 14号 四(二) and 二(二) "当年投资入统计库"): a unit's entry is a
declaration, 发改委经办 verifies it and imports the 市统计局 入统项目清单, and only the statistics figure is scored."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from awards import imports, rules, services, statistics
from awards.models import Allocation, Category, Project, Verification
from awards.rules import facts

from .factories import ProjectFactory, declared, entity, today_at, verify_year, workflow_year

BEIJING = ZoneInfo("Asia/Shanghai")


def statistics_workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = statistics.SHEET
    ws.append(statistics.HEADERS)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("入统项目清单.xlsx", out.getvalue())


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _row(html: str, table_id: str, name: str) -> str:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return next(r for r in table.split("<tr") if name in r)


def _indicator(year: int, entity_name: str, category: str) -> str:
    """The scored 年度实际投资完成额 of an entity's category in the year's latest allocation."""
    line = Allocation.objects.get(year=year).lines.get(entity=entity(entity_name))
    return line.details["categories"][category]["indicators"][2]["value"]


def test_a_verified_year_edited_by_a_unit_and_three_statistics_differences(client, personas):
    """Done-when of issue 25: compute refused naming the projects; after 核实 the statistics figures are
    scored; the allocation page shows both figures for each difference."""
    a = declared(name="热电联产", entity=entity("宝清县"), actual_investment=Decimal("5000"))
    b = declared(
        name="污水处理", entity=entity("宝清县"), category=Category.CITY, actual_investment=Decimal("2000")
    )
    c = declared(name="粮食仓储", entity=entity("集贤县"), actual_investment=Decimal("8000"))
    declared(
        name="供热管网",
        entity=entity("市住房城乡建设局"),
        category=Category.CITY,
        planned_investment=Decimal("30000"),
        actual_investment=Decimal("30000"),
    )
    verify_year(2030, by=personas.fgw_clerk)
    services.allocation_compute(year=2030, by=personas.fgw_clerk)

    # the unit raises its own verified project's figure: back to 待核实, history keeps both
    client.force_login(personas.reporter)
    data = {"year": 2030, "name": a.name, "category": Category.PROV, "planned_investment": "10000"}
    response = client.post(f"/awards/projects/{a.pk}/", data | {"actual_investment": "9000", "started": "on"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.verification == Verification.PENDING
    states = list(a.history.order_by("history_date").values_list("verification", "actual_investment"))
    assert (Verification.VERIFIED, Decimal("5000")) in states and states[-1] == (
        Verification.PENDING,
        Decimal("9000"),
    )

    # 发改委经办 imports the statistics: A 6000 (declared 9000), B 1500 (declared 2000), C not listed (8000)
    client.force_login(personas.fgw_clerk)
    upload = statistics_workbook(
        [
            [a.name, "宝清县", "是", 6000],
            [b.name, "宝清县", "是", 1500],
            ["供热管网", "市住房城乡建设局", "是", 30000],
        ]
    )
    preview = client.post("/awards/statistics/", {"year": 2030, "file": upload})
    assert len(preview.context["plan"].differences) == 3
    html = preview.content.decode()
    assert "9000.00" in _row(html, "statistics-differences", a.name)
    assert "6000.00" in _row(html, "statistics-differences", a.name)
    assert "清单中没有" in _row(html, "statistics-differences", c.name)
    client.post("/awards/statistics/confirm/", {"token": preview.context["token"]})

    refused = client.post("/awards/2030/compute/", follow=True)
    message = _messages(refused)
    assert "以下 3 个项目待核实，不能计算" in message
    for name in ("宝清县“热电联产”", "宝清县“污水处理”", "集贤县“粮食仓储”"):
        assert name in message
    assert _indicator(2030, "宝清县", "PROV") == "1.50"  # still the figures verified before: 5000

    client.post("/awards/2030/verify/", {"projects": [a.pk, b.pk, c.pk]})
    computed = client.post("/awards/2030/compute/", follow=True)
    assert "已计算" in _messages(computed)
    assert _indicator(2030, "宝清县", "PROV") == "1.80"  # 6000 / 10000 × 3, not 9000's 2.70
    assert _indicator(2030, "宝清县", "CITY") == "2.25"  # 1500 / 1000 × 1.5, not 2000's 3.00
    assert _indicator(2030, "集贤县", "PROV") == "0.00"  # not 入统: counts 0, not 8000's 2.40

    page = client.get("/awards/2030/").content.decode()
    for project, declared_figure, scored in (
        (a, "9000.00", "6000.00"),
        (b, "2000.00", "1500.00"),
        (c, "8000.00", "0"),
    ):
        row = _row(page, "statistics-differences", project.name)
        assert declared_figure in row and f">{scored}" in row


def test_the_units_list_shows_each_state_and_both_figures_of_a_difference(client, personas):
    ProjectFactory(name="已核实的项目")
    different = declared(name="有差异的项目", actual_investment=Decimal("9000"))
    verify_year(2030, statistics={"有差异的项目": Decimal("6000")})
    different.refresh_from_db()
    different.planned_investment = Decimal("12000")
    services.project_save(project=different, by=personas.reporter)
    client.force_login(personas.reporter)
    page = client.get("/awards/projects/?year=2030").content.decode()
    assert "已核实" in page and "待核实" in page
    assert "6000.00（申报 9000.00）" in page


def test_a_self_declared_single_provincial_project_does_not_raise_the_bonus_unverified(client, personas):
    """Why: 省级百大项目, 单体, 开复工 with 计划 1 万元 and 完成 0 raised the unit's bonus with nobody verifying."""
    draft = workflow_year(by=personas.fgw_clerk)
    bonus = draft.lines.get(entity=entity("宝清县")).bonus_single
    client.force_login(personas.reporter)
    data = {"year": 2030, "name": "自报单体项目", "category": Category.PROV, "single": "on"}
    response = client.post(
        "/awards/projects/new/", data | {"planned_investment": "1", "actual_investment": "0", "started": "on"}
    )
    assert response.status_code == 302
    with pytest.raises(ValidationError) as refused:
        services.allocation_compute(year=2030, by=personas.fgw_clerk)
    assert "宝清县“自报单体项目”" in refused.value.messages[0]
    assert Allocation.objects.get(pk=draft.pk).lines.get(entity=entity("宝清县")).bonus_single == bonus


def test_an_empty_total_through_the_downloaded_template_moves_no_money(client, personas):
    """Why: a 产业项目 without 计划总投资 added through the template skipped the 500万 rule."""
    workflow_year(by=personas.fgw_clerk)
    client.force_login(personas.reporter)
    template = load_workbook(io.BytesIO(client.get("/awards/import/template/").content))
    sheet = template[imports.PROJECT_SHEET]
    assert [c.value for c in sheet[1]][-1] == imports.TOTAL_INVESTMENT
    sheet.append(["一百万元的产业项目", "产业项目", "宝清县", "否", 100, 0, "否", "否", None])
    out = io.BytesIO()
    template.save(out)
    upload = SimpleUploadedFile("projects.xlsx", out.getvalue())
    response = client.post("/awards/import/", {"year": 2030, "file": upload})
    assert response.context["errors"] == [  # row 2 is the template's example row, which the import skips
        f"项目清单 第3行 {imports.TOTAL_INVESTMENT}：{rules.INDUSTRIAL_TOTAL_REQUIRED}"
    ]
    assert not Project.objects.filter(name="一百万元的产业项目").exists()


def test_a_workbook_without_the_total_column_refuses_its_industrial_rows(gazette, tmp_path):
    from .conftest import workbook_bytes

    path = tmp_path / "old.xlsx"
    path.write_bytes(
        workbook_bytes(
            [["产业项目甲", "产业项目", "宝清县", "否", 800, 0, "否", "否"]],
            project_headers=imports.PROJECT_HEADERS,
        )
    )
    with pytest.raises(imports.WorkbookErrors) as exc:
        imports.parse(str(path), year=2030)
    assert [str(e) for e in exc.value.errors] == [
        f"项目清单 第2行 {imports.TOTAL_INVESTMENT}：{imports.INDUSTRIAL_COLUMN_MISSING}"
    ]


def test_an_empty_total_never_counts_as_industrial():
    assert not rules.counts_as_industrial(None)
    assert rules.counts_as_industrial(Decimal("500"))


def test_full_clean_requires_the_total_of_an_industrial_project(gazette):
    project = Project(
        year=2030, name="产业项目乙", category=Category.IND, entity=entity("宝清县"), planned_investment=1
    )
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["total_investment"] == [rules.INDUSTRIAL_TOTAL_REQUIRED]


def test_an_older_industrial_project_without_its_total_cannot_be_verified(gazette):
    project = declared(category=Category.IND, total_investment=None, name="早先录入的产业项目")
    with pytest.raises(ValidationError) as exc:
        verify_year(2030)  # the statistics are imported, the verification is refused
    assert exc.value.messages == [
        facts.NOT_VERIFIABLE.format(name="宝清县“早先录入的产业项目”", errors=rules.INDUSTRIAL_TOTAL_REQUIRED)
    ]
    project.refresh_from_db()
    assert project.verification == Verification.PENDING


def test_only_fgw_clerk_verifies(personas):
    project = declared()
    with pytest.raises(ValidationError) as exc:
        services.projects_verify(projects=[project], by=personas.reporter)
    assert exc.value.messages == [facts.VERIFY_BY_FGW]


def test_verification_waits_for_the_statistics(personas):
    project = declared(name="尚无入统数据")
    with pytest.raises(ValidationError) as exc:
        services.projects_verify(projects=[project], by=personas.fgw_clerk)
    assert exc.value.messages == [facts.NO_STATISTICS.format(name="宝清县“尚无入统数据”", year=2030)]


def test_the_verify_page_verifies_a_list_at_once(client, personas):
    first, second = declared(), declared()
    services.statistics_apply(
        statistics.Plan(2030, [statistics.Row(p, True, p.actual_investment) for p in (first, second)])
    )
    client.force_login(personas.fgw_clerk)
    response = client.post("/awards/2030/verify/", {"projects": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(Project.objects.values_list("verification", flat=True)) == {Verification.VERIFIED}
    assert Project.objects.get(pk=first.pk).verified_by == personas.fgw_clerk


def test_a_reimport_changing_a_verified_project_sends_it_back(gazette, good_workbook, tmp_path):
    from .conftest import GOOD_PROJECTS, workbook_bytes

    imports.import_workbook(str(good_workbook), year=2030)
    verify_year(2030)
    changed = [list(GOOD_PROJECTS[0]), *GOOD_PROJECTS[1:]]
    changed[0][4] = 31000
    path = tmp_path / "changed.xlsx"
    path.write_bytes(workbook_bytes(changed))
    imports.import_workbook(str(path), year=2030)
    states = dict(Project.objects.values_list("name", "verification"))
    assert states[GOOD_PROJECTS[0][0]] == Verification.PENDING
    assert states[GOOD_PROJECTS[1][0]] == Verification.VERIFIED


# --- time: no fact of a year still to come (today injected at several hours of the Beijing day) -------------


@pytest.mark.parametrize(
    ("moment", "refused"),
    [
        (datetime(2031, 12, 31, 23, 30, tzinfo=BEIJING), True),
        (datetime(2032, 1, 1, 0, 30, tzinfo=BEIJING), False),  # 2031-12-31 16:30 UTC: already 2032 in 双鸭山
        (datetime(2032, 1, 1, 7, 59, tzinfo=BEIJING), False),
    ],
)
def test_a_started_project_of_a_year_still_to_come_is_refused(gazette, monkeypatch, moment, refused):
    monkeypatch.setattr("django.utils.timezone.localdate", today_at(moment))
    project = Project(
        year=2032,
        name="明年的项目",
        category=Category.PROV,
        entity=entity("宝清县"),
        planned_investment=Decimal(100),
        actual_investment=Decimal(10),
        started=True,
        completed=True,
    )
    if not refused:
        project.full_clean()
        return
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict == {
        "started": [facts.FUTURE_YEAR_FACT.format(year=2032, fact="开复工")],
        "completed": [facts.FUTURE_YEAR_FACT.format(year=2032, fact="竣工")],
        "actual_investment": [facts.FUTURE_YEAR_FACT.format(year=2032, fact="完成投资")],
    }


def test_a_planned_project_of_next_year_is_accepted(gazette):
    Project(
        year=2031, name="计划中的项目", category=Category.CITY, entity=entity("宝清县"), planned_investment=1
    ).full_clean()


def test_a_verification_dated_after_today_is_refused(gazette, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", today_at(datetime(2031, 3, 2, 23, 30, tzinfo=BEIJING))
    )
    project = ProjectFactory.build(
        entity=entity("宝清县"), verified_at=datetime(2031, 3, 3, 0, 30, tzinfo=BEIJING)
    )
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["verified_at"] == [facts.FUTURE_VERIFICATION.format(today="2031-03-02")]


def test_statistics_of_a_year_still_to_come_are_refused(client, personas):
    client.force_login(personas.fgw_clerk)
    response = client.post("/awards/statistics/", {"year": 2032, "file": statistics_workbook([])})
    assert response.context["errors"] == [f"文件：{facts.FUTURE_STATISTICS.format(year=2032)}"]


def test_a_statistics_row_for_an_unknown_unit_is_listed_in_chinese(client, personas):
    client.force_login(personas.fgw_clerk)
    upload = statistics_workbook([["甲", "无此县", "是", 1]])
    response = client.post("/awards/statistics/", {"year": 2030, "file": upload})
    assert response.context["errors"] == ["入统项目清单 第2行 责任主体：未知的责任主体“无此县”"]
    assert re.search("未写入任何数据", response.content.decode())
