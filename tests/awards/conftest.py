import datetime
import io

import pytest
from openpyxl import Workbook

from awards.imports import PROJECT_HEADERS, PROJECT_SHEET, TARGET_HEADERS, TARGET_SHEET, TOTAL_INVESTMENT

from .factories import award_year_past  # noqa: F401 - the fixture, made autouse below

#: the downloadable template's columns: the eight of the spec and 计划总投资 (required on 产业项目 rows)
TEMPLATE_HEADERS = [*PROJECT_HEADERS, TOTAL_INVESTMENT]

#: The awards tests run years up to 2031 through to payment; a payment may not be dated after today.
AWARDS_TODAY = datetime.date(2031, 12, 31)


@pytest.fixture(autouse=True)
def _awards_today(today):
    today(AWARDS_TODAY)


def workbook_bytes(
    projects=(), targets=(), project_headers=TEMPLATE_HEADERS, target_headers=TARGET_HEADERS
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = PROJECT_SHEET
    ws.append(list(project_headers))
    for row in projects:
        ws.append(list(row))
    ws2 = wb.create_sheet(TARGET_SHEET)
    ws2.append(list(target_headers))
    for row in targets:
        ws2.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_PROJECTS = [
    ["宝清县热电联产项目", "省级百大项目", "宝清县", "是", 30000, 25000, "是", "否"],
    ["宝清县污水处理厂", "市级百大项目", "宝清县", "否", 2000, 1500, "是", "是"],
    ["宝清县玉米深加工", "产业项目", " 宝清县 ", "否", 8000, 0, "否", "否", 12000],
]
GOOD_TARGETS = [["宝清县", 3, 10000]]


@pytest.fixture
def good_workbook(tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(workbook_bytes(GOOD_PROJECTS, GOOD_TARGETS))
    return path


@pytest.fixture(autouse=True)
def _award_year_is_past(award_year_past):  # noqa: F811 - the imported fixture
    """Every awards test runs on a day after its award year (see ``factories.AFTER_THE_YEAR``)."""
