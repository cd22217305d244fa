"""Excel exports of the ledger (第二十一条): a unit's month in the official layout, and a whole year.

Both go through ``orgs.xlsx`` (the one writer): title, bold 合计, A4 landscape, and the status line —
the month report's 已报送 date, or the day the figures were read.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from django.utils import timezone
from django.utils.functional import cached_property

from orgs import exporting, xlsx
from orgs.access import visible
from orgs.models import Organization
from orgs.xlsx import INTEGER, Sheet, Total

from . import selectors
from .models import LedgerEntry, LedgerKind, LedgerStatus, MonthlyReport, OfficerRole, Satisfaction

HEADER = [
    "序号",
    "受理日期",
    "服务员",
    "职责",
    "服务对象",
    "类别",
    "内容",
    "首受单位",
    "转办/协办单位",
    "状态",
    "办理期限",
    "办理结果",
    "销号日期",
    "企业满意度",
    "本月情况",
]


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
            yield [
                r["number"],
                r["received_on"].isoformat(),
                r["officer"],
                r["officer_role"],
                r["subject"],
                r["kind"],
                r["description"],
                r["first_receiving_unit"],
                r["co_units"],
                r["status"],
                r["due_on"].isoformat(),
                r["resolution"],
                r["closed_on"].isoformat() if r["closed_on"] else "",
                r["satisfaction"],
                r["position"],
            ]

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
                widths=(6, 12, 10, 10, 24, 10, 40, 18, 24, 10, 12, 30, 12, 10, 16),
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
YEAR_HEADER = [
    "受理日期",
    "派出单位",
    "服务员",
    "职责",
    "服务对象",
    "类别",
    "内容",
    "首受单位",
    "转办/协办单位",
    "状态",
    "办理期限",
    "办理结果",
    "销号日期",
    "企业满意度",
]
YEAR_WIDTHS = (11, 16, 8, 8, 24, 9, 40, 16, 20, 9, 11, 30, 11, 9)
YEAR_FIELDS = (
    "pk",
    "received_on",
    "officer__unit__name",
    "officer__name",
    "officer__role",
    "subject__name",
    "kind",
    "description",
    "first_receiving_unit__name",
    "status",
    "due_on",
    "resolution",
    "closed_on",
    "satisfaction",
)
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
    for (
        pk,
        received,
        unit,
        officer,
        role,
        subject,
        kind,
        text,
        first,
        status,
        due,
        result,
        closed,
        answer,
    ) in values.iterator(chunk_size=CHUNK):
        yield [
            received.isoformat(),
            unit,
            officer,
            roles.get(role, role),
            subject,
            kinds.get(kind, kind),
            text,
            first,
            "、".join(co_units.get(pk, ())),
            statuses.get(status, status),
            due.isoformat(),
            result,
            closed.isoformat() if closed else "",
            answers.get(answer, answer),
        ]


def write_ledger(path, title: str, rows, progress) -> int:
    """Stream ``rows`` under the header into a workbook at ``path``; returns the row count.

    A listing of up to hundreds of thousands of rows: the header stays in row 1 (sorting, filtering) and
    the title prints in the page header."""
    sheet = Sheet(
        title,
        itertools.chain([YEAR_HEADER], rows),
        widths=YEAR_WIDTHS,
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
