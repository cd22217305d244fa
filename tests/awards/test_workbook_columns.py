"""The project workbook is written and read from one declaration (awards/columns.py): what is exported imports
back unchanged, a renamed header changes both sides, and the template's example row is never imported."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from awards import columns, imports
from awards.exports import ProjectWorkbook
from orgs.excel import Column

from .conftest import GOOD_PROJECTS, GOOD_TARGETS, workbook_bytes

pytestmark = pytest.mark.django_db


def _imported(year: int, tmp_path) -> None:
    imports.import_workbook(_file(tmp_path, workbook_bytes(GOOD_PROJECTS, GOOD_TARGETS)), year=year)


def _file(tmp_path, data: bytes):
    path = tmp_path / "workbook.xlsx"
    path.write_bytes(data)
    return path


def test_an_exported_year_imports_back_unchanged(gazette, tmp_path):
    _imported(2030, tmp_path)
    plan = imports.parse(_file(tmp_path, ProjectWorkbook(2030).content()), year=2030)
    assert plan.counts == {"add": 0, "change": 0, "unchanged": len(GOOD_PROJECTS) + len(GOOD_TARGETS)}


def test_a_renamed_header_changes_the_export_and_the_import(gazette, monkeypatch, tmp_path):
    _imported(2030, tmp_path)
    renamed = Column("建设项目名称", "name", width=28)
    monkeypatch.setattr(columns, "PROJECT_COLUMNS", (renamed, *columns.PROJECT_COLUMNS[1:]))
    monkeypatch.setattr(columns, "PROJECT_REQUIRED", (renamed, *columns.PROJECT_REQUIRED[1:]))
    monkeypatch.setattr(imports, "PROJECT_HEADERS", [c.header for c in columns.PROJECT_REQUIRED])
    data = ProjectWorkbook(2030).content()
    assert load_workbook(BytesIO(data))[columns.PROJECT_SHEET]["A1"].value == "建设项目名称"
    assert imports.parse(_file(tmp_path, data), year=2030).counts["unchanged"] == len(GOOD_PROJECTS) + 1


def test_the_template_has_an_example_row_the_import_skips(gazette, tmp_path):
    data = ProjectWorkbook().content()
    ws = load_workbook(BytesIO(data))[columns.PROJECT_SHEET]
    assert ws["A2"].value.startswith("【示例】")
    assert imports.parse(_file(tmp_path, data), year=2030).counts == {"add": 0, "change": 0, "unchanged": 0}


def test_the_template_offers_drop_down_lists_for_its_choice_columns(gazette, tmp_path):
    ws = load_workbook(BytesIO(ProjectWorkbook().content()))[columns.PROJECT_SHEET]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    assert lists["B2"] == '"省级百大项目,市级百大项目,产业项目"'
    assert lists["D2"] == lists["G2"] == lists["H2"] == '"是,否"'
    assert "宝清县" in lists["C2"]  # 责任主体: the directory's units
