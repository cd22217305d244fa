from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from awards import imports, rules, services
from awards.models import Allocation, AllocationStatus, IndustrialTarget, Project
from orgs.excel import REQUIRED, WorkbookErrors

from .conftest import GOOD_PROJECTS, GOOD_TARGETS, workbook_bytes
from .factories import entity, verify_year

pytestmark = pytest.mark.django_db


def errors_of(tmp_path, projects=(), targets=(), **kwargs):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes(projects, targets, **kwargs))
    with pytest.raises(WorkbookErrors) as info:
        imports.import_workbook(str(path), year=2030)
    return [str(e) for e in info.value.errors]


def test_import_writes_projects_and_targets(gazette, good_workbook):
    counts = imports.import_workbook(str(good_workbook), year=2030)
    assert counts == {"add": 4, "change": 0, "unchanged": 0}
    heat = Project.objects.get(name="宝清县热电联产项目")
    assert (heat.category, heat.single, heat.actual_investment, heat.started) == (
        "PROV",
        True,
        D("25000"),
        True,
    )
    assert IndustrialTarget.objects.get(year=2030, entity=entity("宝清县")).target_count == 3


def test_reimporting_the_same_file_changes_nothing(gazette, good_workbook):
    imports.import_workbook(str(good_workbook), year=2030)
    before = list(Project.objects.values_list("pk", "updated_at"))
    counts = imports.import_workbook(str(good_workbook), year=2030)
    assert counts == {"add": 0, "change": 0, "unchanged": 4}
    assert list(Project.objects.values_list("pk", "updated_at")) == before


def test_a_changed_row_updates_the_keyed_project(gazette, tmp_path, good_workbook):
    imports.import_workbook(str(good_workbook), year=2030)
    changed = [list(r) for r in GOOD_PROJECTS]
    changed[0][5] = 26000
    path = tmp_path / "changed.xlsx"
    path.write_bytes(workbook_bytes(changed, GOOD_TARGETS))
    plan = imports.parse(str(path), year=2030)
    assert plan.counts == {"add": 0, "change": 1, "unchanged": 3}
    assert plan.of("change")[0].changed == ["actual_investment"]


def test_every_error_is_listed_with_sheet_row_and_column(gazette, tmp_path):
    errors = errors_of(
        tmp_path,
        projects=[
            ["甲", "国家级项目", "不存在县", "是", -1, 10, "否", "是"],
            ["", "省级百大项目", "宝清县", "也许", "abc", 0, "是", "否"],
        ],
        targets=[["宝清县", 1.5, 100]],
    )
    assert "项目清单 第2行 项目类别：" + imports.UNKNOWN_CATEGORY.format(value="国家级项目") in errors
    assert "项目清单 第2行 责任主体：" + imports.UNKNOWN_ENTITY.format(value="不存在县") in errors
    assert "项目清单 第2行 年度计划投资（万元）：不能为负数" in errors
    assert "项目清单 第2行 是否竣工：" + rules.COMPLETED_NOT_STARTED in errors
    assert "项目清单 第2行 年度完成投资（万元）：" + rules.INVESTMENT_NOT_STARTED in errors
    assert "项目清单 第3行 项目名称：" + REQUIRED in errors
    assert "项目清单 第3行 是否单体：应为“是”或“否”，实际为“也许”" in errors
    assert "项目清单 第3行 年度计划投资（万元）：应为数字，实际为“abc”" in errors
    assert "产业项目目标 第2行 开复工任务目标个数：应为非负整数，实际为“1.5”" in errors


def test_nothing_is_written_when_any_row_is_bad(gazette, tmp_path):
    errors_of(tmp_path, projects=[GOOD_PROJECTS[0], ["乙", "省级百大项目", "宝清县", "否", 1, 1, "否", "否"]])
    assert not Project.objects.exists()


def test_duplicate_rows_are_an_error(gazette, tmp_path):
    errors = errors_of(tmp_path, projects=[GOOD_PROJECTS[0], GOOD_PROJECTS[0]])
    assert errors == ["项目清单 第3行 项目名称：" + imports.DUPLICATE_ROW.format(row=2)]


def test_entities_match_by_alias(gazette, tmp_path):
    path = tmp_path / "alias.xlsx"
    path.write_bytes(workbook_bytes([["甲", "市级百大项目", " 市住建局 ", "否", 1, 0, "否", "否"]]))
    imports.import_workbook(str(path), year=2030)
    assert Project.objects.get().entity == entity("市住房城乡建设局")


def test_wrong_header_is_reported(gazette, tmp_path):
    headers = list(imports.PROJECT_HEADERS)
    headers[0] = "名称"
    errors = errors_of(tmp_path, projects=[GOOD_PROJECTS[0]], project_headers=headers)
    assert errors[0].startswith("项目清单 第1行：表头应为")


def test_a_reporter_may_import_only_own_entity(gazette, tmp_path):
    path = tmp_path / "other.xlsx"
    path.write_bytes(workbook_bytes([["甲", "市级百大项目", "集贤县", "否", 1, 0, "否", "否"]]))
    with pytest.raises(WorkbookErrors) as info:
        imports.import_workbook(str(path), year=2030, own=entity("宝清县"))
    assert [str(e) for e in info.value.errors] == [
        "项目清单 第2行 责任主体：" + imports.NOT_OWN_ENTITY.format(own="宝清县")
    ]


def test_a_locked_year_refuses_import(gazette, good_workbook):
    imports.import_workbook(str(good_workbook), year=2030)
    verify_year(2030)
    allocation = services.allocation_compute(year=2030)
    Allocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.APPROVED)
    with pytest.raises(WorkbookErrors) as info:
        imports.import_workbook(str(good_workbook), year=2030)
    assert str(info.value.errors[0]) == "文件：" + services.locked_message(2030)


def test_not_an_xlsx_is_refused(gazette, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a workbook at all")
    with pytest.raises(WorkbookErrors) as info:
        imports.import_workbook(str(path), year=2030)
    assert str(info.value.errors[0]).startswith("文件：")


def test_a_zip_bomb_is_refused(gazette, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (50 * 1024 * 1024))
    with pytest.raises(WorkbookErrors) as info:
        imports.import_workbook(str(path), year=2030)
    assert "压缩炸弹" in str(info.value.errors[0])


def test_template_has_both_sheets_and_headers():
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(imports.template()))
    assert wb.sheetnames == [imports.PROJECT_SHEET, imports.TARGET_SHEET]
    assert [c.value for c in wb[imports.PROJECT_SHEET][1]] == [
        *imports.PROJECT_HEADERS,
        imports.TOTAL_INVESTMENT,
    ]
    assert [c.value for c in wb[imports.TARGET_SHEET][1]] == imports.TARGET_HEADERS


def test_empty_single_and_completed_flags_mean_no(gazette, tmp_path):
    path = tmp_path / "blank.xlsx"
    path.write_bytes(workbook_bytes([["甲", "市级百大项目", "宝清县", None, 100, 50, "是", None]]))
    imports.import_workbook(str(path), year=2030)
    project = Project.objects.get()
    assert (project.single, project.completed, project.started) == (False, False, True)


def test_an_empty_started_flag_is_required(gazette, tmp_path):
    errors = errors_of(tmp_path, projects=[["甲", "市级百大项目", "宝清县", "否", 100, 0, None, "否"]])
    assert errors == ["项目清单 第2行 是否开复工：" + REQUIRED]


def test_import_writes_history_with_the_acting_user(gazette, tmp_path, good_workbook, personas):
    imports.import_workbook(str(good_workbook), year=2030, by=personas.fgw_clerk)
    heat = Project.objects.get(name="宝清县热电联产项目")
    assert [(h.history_type, h.history_user, h.actual_investment) for h in heat.history.all()] == [
        ("+", personas.fgw_clerk, D("25000"))
    ]
    assert IndustrialTarget.objects.get(year=2030).history.get().history_type == "+"
    changed = [list(r) for r in GOOD_PROJECTS]
    changed[0][5] = 26000
    path = tmp_path / "changed.xlsx"
    path.write_bytes(workbook_bytes(changed, GOOD_TARGETS))
    imports.import_workbook(str(path), year=2030, by=personas.fgw_clerk)
    latest = heat.history.latest()
    assert (latest.history_type, latest.history_user, latest.actual_investment) == (
        "~",
        personas.fgw_clerk,
        D("26000"),
    )
    heat.refresh_from_db()
    assert heat.actual_investment == D("26000") and heat.updated_at == latest.history_date
    assert Project.history.count() == 4  # the unchanged rows have no new history


def test_the_write_takes_the_same_queries_for_any_number_of_rows(
    gazette, tmp_path, django_assert_num_queries
):
    rows = [[f"项目{i}", "市级百大项目", "宝清县", "否", 100 + i, 0, "否", "否"] for i in range(40)]
    path = tmp_path / "many.xlsx"
    path.write_bytes(workbook_bytes(rows, GOOD_TARGETS))
    plan = imports.parse(str(path), year=2030)
    # Queries: apply's savepoint and its release; the year's allocation (lock check); per model: the rows (one
    # executemany), their keys read back, their history rows (one executemany); the import's audit record, in
    # the same transaction. The same at 4 rows or 40,000.
    with django_assert_num_queries(10):
        assert imports.apply(plan) == {"add": 41, "change": 0, "unchanged": 0}
    assert Project.objects.filter(year=2030).count() == 40 and Project.history.count() == 40


def test_a_value_the_model_refuses_is_not_written(gazette, tmp_path):
    """The model's field validators check every row (here max_digits=14 of 年度计划投资)."""
    path = tmp_path / "huge.xlsx"
    path.write_bytes(
        workbook_bytes([GOOD_PROJECTS[0], ["甲", "市级百大项目", "宝清县", "否", 10**13, 0, "否", "否"]])
    )
    with pytest.raises(ValidationError) as info:
        imports.import_workbook(str(path), year=2030)
    assert "planned_investment" in info.value.message_dict
    assert not Project.objects.exists()


def test_a_repeated_value_is_checked_for_each_row_it_could_fail(gazette):
    """Values an earlier row passed are not checked again, but 1.000 is not 1.00: it has three decimal places."""
    rows = [
        Project(year=2030, name=f"甲{i}", category="CITY", entity=entity("宝清县"), planned_investment=value)
        for i, value in enumerate([D("1.00"), D("1.00"), D("1.000")])
    ]
    with pytest.raises(ValidationError) as info:
        imports._full_clean(Project, rows)
    assert list(info.value.message_dict) == ["planned_investment"]
    assert rows[2].planned_investment == D("1.000")


def test_an_import_is_one_record_of_the_audit_trail(
    gazette, good_workbook, personas, django_capture_on_commit_callbacks
):
    from security.models import AuditEvent

    with django_capture_on_commit_callbacks(execute=True):
        imports.import_workbook(str(good_workbook), year=2030, by=personas.fgw_clerk)
    event = AuditEvent.objects.get(target="2030年度百大项目数据导入")
    assert (event.kind, event.actor_id) == (AuditEvent.Kind.CHANGE, personas.fgw_clerk.pk)
    assert event.detail.startswith("新增 ")
