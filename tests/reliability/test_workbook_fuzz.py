"""Well-formed workbooks with hostile cells, through every Excel import and its later steps.

The form fuzzer (``test_bad_input``) sends random bytes as files, which the type check refuses before any
sheet is read. Here the file is a real workbook with the right headers, and every cell is either a value the
importer accepts or something hostile (formulas, huge numbers, dates where text belongs, text where numbers
belong, empty cells), so the row checks, the preview and the confirm step are reached: never a 500, a Chinese
error whenever a file is refused, nothing written by a preview or a refused file, and at most one row per
sheet row when a file is accepted.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from awards import imports as awards_imports
from awards.models import Project as AwardsProject
from chiefservice import imports as chiefservice_imports
from chiefservice.models import ServedSubject, SubjectKind, SubjectSize
from investment import imports as investment_imports
from investment.models import Project as InvestmentProject
from tests.chiefservice.factories import credit_code

from .test_bad_input import CJK, ERROR_MARKERS, _row_counts

pytestmark = pytest.mark.django_db

# Derandomized: the same examples every run, so "both outcomes were reached" below is a stable check.
FUZZ = hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

HOSTILE = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.booleans(),
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://evil.example","点我")',
            "+1",
            "-1",
            "@SUM(A1)",
            " ",
            "是否",
            "宝清县" * 40,
        ]
    ),
)
YES_NO = st.sampled_from(["是", "否"])
AMOUNT = st.decimals(min_value=0, max_value=100000, places=2).map(float)
NAME = st.text(alphabet="项目工程建设一二三甲乙丙", min_size=1, max_size=20)


def sheet_rows(columns: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """1–3 rows of valid values, each row with at most one hostile cell, so whole files pass now and then."""
    spoil = st.one_of(st.none(), st.tuples(st.sampled_from(list(columns)), HOSTILE))

    def spoiled(pair):
        row, bad = pair
        return row if bad is None else {**row, bad[0]: bad[1]}

    row = st.tuples(st.fixed_dictionaries(columns), spoil).map(spoiled)
    return st.lists(row, min_size=1, max_size=3)


class Outcomes(dict):
    """How often each way out was taken; a fuzz run must reach both."""

    def saw(self, outcome: str) -> None:
        self[outcome] = self.get(outcome, 0) + 1

    def assert_both(self) -> None:
        assert self.get("accepted") and self.get("refused"), self


def workbook(sheets: dict[str, tuple[list[str], list[dict]]]) -> SimpleUploadedFile:
    book = Workbook()
    book.remove(book.active)
    for title, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("fuzz.xlsx", buffer.getvalue())


def assert_refused_cleanly(response, before) -> None:
    body = response.content.decode()
    assert _row_counts() == before, "a refused workbook wrote rows"
    assert any(marker in body for marker in ERROR_MARKERS), "no error shown"
    assert CJK.search(body)


def all_or_nothing(client, url: str, data: dict, refused_status: int, model, rows) -> str:
    """Post an import that writes every row or none; check which it did and say so."""
    before = _row_counts()
    response = client.post(url, data)
    assert response.status_code in (refused_status, 302)
    if response.status_code == refused_status:
        assert_refused_cleanly(response, before)
        return "refused"
    assert model.objects.count() - before[model._meta.label] == len(rows)
    return "accepted"


AWARDS_COLUMNS = {
    "项目名称": NAME,
    "项目类别": st.sampled_from(list(awards_imports.CATEGORY_BY_LABEL)),
    "责任主体": st.just("宝清县"),
    "是否单体": YES_NO,
    "年度计划投资（万元）": AMOUNT,
    "年度完成投资（万元）": AMOUNT,
    "是否开复工": YES_NO,
    "是否竣工": YES_NO,
}
AWARDS_TARGET_COLUMNS = {
    "责任主体": st.just("宝清县"),
    "开复工任务目标个数": st.integers(min_value=0, max_value=50),
    "计划完成投资任务目标额（万元）": AMOUNT,
}


def test_awards_import_preview_and_confirm_with_hostile_cells(client, personas):
    # Both sheets: the targets are assigned by 发改委 (15号 四(三)), so its 经办 imports them; a unit's 填报员
    # would have every file with a target row refused.
    client.force_login(personas.fgw_clerk)
    outcomes = Outcomes()

    @FUZZ
    @given(sheet_rows(AWARDS_COLUMNS), sheet_rows(AWARDS_TARGET_COLUMNS))
    def upload_then_confirm(projects, targets):
        upload = workbook(
            {
                awards_imports.PROJECT_SHEET: (awards_imports.PROJECT_HEADERS, projects),
                awards_imports.TARGET_SHEET: (awards_imports.TARGET_HEADERS, targets),
            }
        )
        before = _row_counts()
        preview = client.post("/awards/import/", {"year": 2021, "file": upload})
        assert preview.status_code == 200
        assert _row_counts() == before, "the preview wrote rows"
        pending = client.session.get("awards_import")
        if pending is None:
            assert_refused_cleanly(preview, before)
            outcomes.saw("refused")
            return
        confirmed = client.post("/awards/import/confirm/", {"token": pending["token"]})
        assert confirmed.status_code in (200, 302)
        if confirmed.status_code == 200:
            assert_refused_cleanly(confirmed, before)
            outcomes.saw("refused")
        else:
            added = AwardsProject.objects.count() - before[AwardsProject._meta.label]
            assert 0 <= added <= len(projects)
            outcomes.saw("accepted")
        assert "awards_import" not in client.session, "a confirmed preview can be confirmed again"

    upload_then_confirm()
    outcomes.assert_both()


def test_awards_confirm_without_a_preview_of_ones_own_writes_nothing(client, personas):
    client.force_login(personas.reporter)
    before = _row_counts()
    for token in ("", "0" * 32, "../../etc/passwd", "x" * 5000):
        response = client.post("/awards/import/confirm/", {"token": token})
        assert response.status_code == 302 and response.url == "/awards/import/"
    assert _row_counts() == before


INVESTMENT_COLUMNS = {
    "项目名称": NAME,
    "投资方": NAME,
    "资金来源": st.sampled_from(["外资", "内资"]),
    "签约日期": st.dates(min_value=date(2019, 1, 1), max_value=date(2020, 12, 31)),
    "签约额（万元）": AMOUNT,
    "所属产业": NAME,
    "属主导产业": YES_NO,
    "开工日期": st.dates(min_value=date(2019, 1, 1), max_value=date(2020, 12, 31)),
    "当年到位外资（万美元）": AMOUNT,
    "当年到位内资（万元）": AMOUNT,
}


def test_investment_project_upload_with_hostile_cells(client, personas):
    client.force_login(personas.reporter)
    outcomes = Outcomes()

    @FUZZ
    @given(sheet_rows(INVESTMENT_COLUMNS))
    def upload(rows):
        book = workbook({investment_imports.SHEET: (investment_imports.HEADERS, rows)})
        data = {"year": 2020, "file": book}
        outcomes.saw(
            all_or_nothing(client, "/investment/projects/upload/", data, 400, InvestmentProject, rows)
        )

    upload()
    outcomes.assert_both()


def test_chiefservice_subject_import_with_hostile_cells(client, personas):
    client.force_login(personas.reporter)
    outcomes = Outcomes()
    columns = {
        "名称": NAME,
        "类型": st.sampled_from(SubjectKind.labels),
        "统一社会信用代码": st.integers(min_value=0, max_value=10**8 - 1).map(credit_code),
        "所属县（区）": st.just("宝清县"),
        "网格": NAME,
        "规模": st.sampled_from(SubjectSize.labels),
        "省重点项目": YES_NO,
        "省百大项目": YES_NO,
        "市重点规上企业": YES_NO,
        "重点监测企业": YES_NO,
        "招商引资合同签订日期": st.dates(min_value=date(2015, 1, 1), max_value=date(2020, 12, 31)),
    }
    assert list(columns) == chiefservice_imports.SUBJECT_HEADERS

    @FUZZ
    @given(sheet_rows(columns))
    def upload(rows):
        book = workbook({chiefservice_imports.SHEET: (chiefservice_imports.SUBJECT_HEADERS, rows)})
        outcomes.saw(
            all_or_nothing(client, "/chiefservice/subjects/import/", {"file": book}, 200, ServedSubject, rows)
        )

    upload()
    outcomes.assert_both()
