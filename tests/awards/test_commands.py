import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from awards.models import Allocation, Project

from .conftest import workbook_bytes
from .factories import verify_year

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_import_allocate_export_round_trip(gazette, good_workbook, tmp_path):
    code, out, _ = run("awards_import", "--year", "2030", str(good_workbook))
    assert code == 0 and "新增 4 行" in out
    verify_year(2030)  # 发改委经办 imports the 入统 figures and verifies the declarations
    code, out, _ = run("awards_allocate", "--year", "2030", "--rate", "5")
    assert code == 0
    assert Allocation.objects.get(year=2030).rate == 5
    target = tmp_path / "out.xlsx"
    code, _, _ = run("awards_export", "--year", "2030", str(target))
    assert code == 0
    rows = list(load_workbook(target)["奖励资金分配表"].iter_rows(values_only=True))
    assert rows[4][1] == "宝清县"


def test_import_errors_go_to_stderr_one_per_line_and_exit_non_zero(gazette, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes([["甲", "省级百大项目", "无此县", "是", 1, 1, "否", "否"]]))
    code, _, err = run("awards_import", "--year", "2030", str(path))
    assert code == 1
    assert err.splitlines() == [
        "项目清单 第2行 责任主体：未知的责任主体“无此县”",
        "项目清单 第2行 年度完成投资（万元）：年度完成投资大于0的项目必须已开复工",
    ]
    assert not Project.objects.exists()


def test_reimport_is_idempotent(gazette, good_workbook):
    run("awards_import", "--year", "2030", str(good_workbook))
    code, out, _ = run("awards_import", "--year", "2030", str(good_workbook))
    assert code == 0 and "未变 4 行" in out
    assert Project.objects.count() == 3


def test_allocate_rejects_a_bad_rate(gazette):
    code, _, err = run("awards_allocate", "--year", "2030", "--rate", "abc")
    assert code == 1 and "--rate" in err


def test_export_without_allocation_fails(gazette, tmp_path):
    code, _, err = run("awards_export", "--year", "2031", str(tmp_path / "x.xlsx"))
    assert code == 1 and "尚未计算" in err


def test_allocate_is_refused_while_imported_projects_are_unverified(gazette, good_workbook):
    run("awards_import", "--year", "2030", str(good_workbook))
    code, _, err = run("awards_allocate", "--year", "2030")
    assert code == 1
    assert "以下 3 个项目待核实，不能计算" in err
    assert "宝清县“宝清县玉米深加工”" in err
    assert not Allocation.objects.filter(year=2030).exists()
