"""Excel exports of the ledger (第二十一条): a unit's month in the official layout, and a whole year.

Both go through ``orgs.xlsx`` (the one writer): title, bold 合计, A4 landscape, and the status line —
the month report's 已报送 date, or the day the figures were read.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

from django.utils import timezone
from django.utils.functional import cached_property

from orgs import exporting, xlsx
from orgs.access import visible
from orgs.models import Organization
from orgs.xlsx import INTEGER, Sheet, Total

from . import selectors
from .models import LedgerEntry, LedgerKind, LedgerStatus, MonthlyReport, OfficerRole, Satisfaction

#: The ledger's columns (第二十一条), declared once for the month report and the year listing: header, key of
#: the row, width in the month's workbook and in the year's (``None``: not in that workbook).
COLUMNS = (
    # (header, key, width in the month's workbook, width in the year's): each workbook's widths add up to no more
    # than landscape A4 prints at 9 pt when fitted to its width (134); long texts wrap, each row as tall as it needs
    ("序号", "number", 5, None),
    ("受理日期", "received_on", 11, 11),
    ("派出单位", "unit", None, 9),
    ("服务员", "officer", 7, 7),
    ("职责", "officer_role", 6, 6),
    ("服务对象", "subject", 12, 12),
    ("类别", "kind", 6, 6),
    ("内容", "description", 16, 16),
    ("首受单位", "first_receiving_unit", 9, 9),
    ("转办/协办单位", "co_units", 10, 10),
    ("状态", "status", 6, 6),
    ("办理期限", "due_on", 11, 11),
    ("办理结果", "resolution", 10, 10),
    ("销号日期", "closed_on", 11, 11),
    ("企业满意度", "satisfaction", 6, 6),
    ("本月情况", "position", 8, None),
)
MONTH_COLUMNS = [(header, key, width) for header, key, width, _ in COLUMNS if width]
YEAR_COLUMNS = [(header, key, width) for header, key, _, width in COLUMNS if width]
HEADER = [header for header, _, _ in MONTH_COLUMNS]
YEAR_HEADER = [header for header, _, _ in YEAR_COLUMNS]


def _cells(row: dict, columns) -> list:
    """A row of the workbook from a row of the ledger: dates as ISO dates, an empty one as an empty cell."""
    values = (row[key] for _, key, _ in columns)
    return [v.isoformat() if isinstance(v, date) else ("" if v is None else v) for v in values]


class MonthLedgerExport:
    """``rows()`` yields the header then one row per entry; ``sheets()`` lays it out for print."""

    def __init__(self, *, unit: Organization, year: int, month: int):
        self.unit, self.year, self.month = unit, year, month

    @cached_property
    def report(self) -> MonthlyReport | None:
        return MonthlyReport.objects.filter(unit=self.unit, year=self.year, month=self.month).first()

    def rows(self) -> Iterator[list]:
        """The month's end (第二十一条): a submitted report's rows as submitted, otherwise read now."""
        yield HEADER
        if self.report is not None:
            rows = selectors.report_rows(self.report)
        else:
            rows = selectors.month_rows(unit=self.unit, year=self.year, month=self.month)
        for r in rows:
            yield _cells(r, MONTH_COLUMNS)

    @property
    def title(self) -> str:
        return f"{self.unit.name} {self.year}年{self.month}月首席服务员工作台账"

    @property
    def filename(self) -> str:
        return f"{self.unit.name}{self.year}年{self.month}月首席服务员工作台账.xlsx"

    def status(self) -> str:
        """The month report's 报送 to 营商办 (第二十一条), or the day these live figures were read."""
        report = self.report
        if report is not None and report.submitted_at is not None:
            day = timezone.localdate(report.submitted_at)
            return f"已报送营商办 {day.year}年{day.month}月{day.day}日"
        return "未报送 — " + xlsx.status_as_of(timezone.localdate())

    def sheets(self) -> list[Sheet]:
        if self.report is not None:
            summary = selectors.report_figures([self.report])[self.report.pk]  # as submitted
        else:
            summary = selectors.month_summary(unit=self.unit, year=self.year, month=self.month)
        total = Total(
            [
                "合计",
                f"上月结转 {summary['carried_over']} 件，本月新增 {summary['new']} 件，"
                f"本月销号 {summary['closed']} 件，月末未销号 {summary['open_at_end']} 件",
            ],
            merge=(2, len(HEADER)),
        )
        return [
            Sheet(
                f"{self.year}年{self.month}月",
                itertools.chain(self.rows(), [total]),
                widths=tuple(width for _, _, width in MONTH_COLUMNS),
                title=self.title,
                title_row=True,
                status=self.status(),
                formats=(INTEGER,),
            )
        ]

    def content(self) -> bytes:
        return xlsx.workbook_bytes(self.sheets())

    workbook_bytes = content


# ---------------------------------------------------------------------------------------------------------
# A year of ledger (hundreds of thousands of rows): built by the export worker, streamed row by row into a
# write-only workbook, so memory stays flat however large the year is.
# ---------------------------------------------------------------------------------------------------------
#: Where the year listing reads each of its columns (the co-units are gathered in one query of their own).
YEAR_SOURCES = {
    "received_on": "received_on",
    "unit": "officer__unit__name",
    "officer": "officer__name",
    "officer_role": "officer__role",
    "subject": "subject__name",
    "kind": "kind",
    "description": "description",
    "first_receiving_unit": "first_receiving_unit__name",
    "status": "status",
    "due_on": "due_on",
    "resolution": "resolution",
    "closed_on": "closed_on",
    "satisfaction": "satisfaction",
}
YEAR_KEYS = ("pk", *(key for _, key, _ in YEAR_COLUMNS if key in YEAR_SOURCES))
YEAR_FIELDS = ("pk", *(YEAR_SOURCES[key] for key in YEAR_KEYS[1:]))
CHUNK = 2000


def year_entries(user, year: int):
    return visible(user, LedgerEntry).filter(received_on__year=year)


def year_rows(user, year: int) -> Iterator[list]:
    """One row per entry of ``year`` visible to ``user``."""
    return ledger_rows(year_entries(user, year))


def ledger_rows(entries) -> Iterator[list]:
    """One row of plain values per entry, read in chunks (no model instances, one query per chunk)."""
    co_units: dict[int, list[str]] = {}
    through = LedgerEntry.co_units.through.objects.filter(ledgerentry__in=entries.values("pk"))
    for entry_id, name in through.values_list("ledgerentry_id", "organization__name").order_by("id"):
        co_units.setdefault(entry_id, []).append(name)
    roles, kinds = dict(OfficerRole.choices), dict(LedgerKind.choices)
    statuses, answers = dict(LedgerStatus.choices), dict(Satisfaction.choices)
    values = entries.order_by("received_on", "id").values_list(*YEAR_FIELDS)
    for values_row in values.iterator(chunk_size=CHUNK):
        row = dict(zip(YEAR_KEYS, values_row, strict=True))
        row["officer_role"] = roles.get(row["officer_role"], row["officer_role"])
        row["kind"] = kinds.get(row["kind"], row["kind"])
        row["status"] = statuses.get(row["status"], row["status"])
        row["satisfaction"] = answers.get(row["satisfaction"], row["satisfaction"])
        row["co_units"] = "、".join(co_units.get(row["pk"], ()))
        yield _cells(row, YEAR_COLUMNS)


def write_ledger(path, title: str, rows, progress) -> int:
    """Stream ``rows`` under the header into a workbook at ``path``; returns the row count.

    A listing of up to hundreds of thousands of rows: the header stays in row 1 (sorting, filtering) and
    the title prints in the page header."""
    sheet = Sheet(
        title,
        itertools.chain([YEAR_HEADER], rows),
        widths=tuple(width for _, _, width in YEAR_COLUMNS),
        title=f"首席服务员{title}",
        status=xlsx.status_as_of(timezone.localdate()),
    )
    return xlsx.write_workbook(path, [sheet], progress)


def build_year(params: dict, user, path, progress) -> int:
    year = int(params["year"])
    return write_ledger(path, f"{year}年服务台账", year_rows(user, year), progress)


def _count_year(params: dict, user) -> int:
    return year_entries(user, int(params["year"])).count()


LEDGER_YEAR = exporting.register(
    "chiefservice.ledger_year",
    title=lambda params: f"{params['year']}年服务台账",
    build=build_year,
    count=_count_year,
)
