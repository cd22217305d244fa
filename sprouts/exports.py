"""Excel export of the sprouts statistics and case list, built by a Celery worker (orgs.exporting).

``StatisticsExport`` yields the rows from the selectors; ``build`` applies the layout through ``orgs.xlsx``
(title row, bold group and 合计 rows, A4, header repeated, the date the figures were read).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.utils import timezone

from orgs import exporting, xlsx
from orgs.access import visible

from . import selectors
from .models import Case

TITLE = "豆芽质量安全案件统计"
CASE_HEADER = [
    "案件编号",
    "发现日期",
    "县（区）",
    "环节",
    "发现来源",
    "经营者名称",
    "经营地址",
    "涉嫌犯罪",
    "牵头部门",
    "承办单位",
    "状态",
    "办理结果",
    "移交记录",
    "处罚决定",
    "罚没款金额（元）",
]
CHOICE_FIELDS = ("stage", "source", "lead_sector", "status", "outcome")
CASE_WIDTHS = (14, 11, 10, 8, 10, 24, 30, 8, 10, 20, 8, 10, 40, 40, 12)
BATCH = 2000


class StatisticsExport:
    def __init__(self, cases):
        self.cases = cases

    def case_rows(self) -> Iterator[list]:
        """One row per case, read as plain values in chunks (no model instances)."""
        yield CASE_HEADER
        labels = {field: dict(Case._meta.get_field(field).choices) for field in CHOICE_FIELDS}
        values = self.cases.order_by("found_on", "id").values_list(
            "id",
            "number",
            "found_on",
            "district__name",
            "stage",
            "source",
            "business_name",
            "business_address",
            "criminal_suspected",
            "lead_sector",
            "lead_office__name",
            "status",
            "outcome",
        )
        rows = values.iterator(chunk_size=BATCH)
        while batch := list(islice(rows, BATCH)):
            # Hand-overs and penalties of a batch of cases: two queries per batch, not per case.
            ids = [row[0] for row in batch]
            handovers, penalties = selectors.handover_texts(ids), selectors.penalty_texts(ids)
            yield from (self._case_row(row, labels, handovers, penalties) for row in batch)

    @staticmethod
    def _case_row(row, labels, handovers, penalties) -> list:
        (
            case_id,
            number,
            found,
            district,
            stage,
            source,
            name,
            address,
            criminal,
            sector,
            office,
            status,
            outcome,
        ) = row
        return [
            number,
            found.isoformat(),
            district,
            labels["stage"].get(stage, stage),
            labels["source"].get(source, source),
            name,
            address,
            "是" if criminal else "否",
            labels["lead_sector"].get(sector, sector),
            office,
            labels["status"].get(status, status),
            labels["outcome"].get(outcome, outcome),
            handovers.get(case_id, ""),
            *penalties.get(case_id, ("", None)),
        ]

    def stat_rows(self) -> Iterator[list]:
        yield ["统计项目", "案件数"]
        for title, rows in selectors.statistics(self.cases).items():
            yield xlsx.Group([f"按{title}", None])
            yield from ([label, n] for label, n in rows)
            yield xlsx.Total(["合计", sum(n for _, n in rows)])

    def build(self, path, progress) -> int:
        # Ten years of cases are hundreds of thousands of rows: streamed, see orgs.xlsx.
        status = xlsx.status_as_of(timezone.localdate())
        summary = xlsx.Sheet(
            "统计",
            self.stat_rows(),
            widths=(28, 10),
            landscape=False,
            counts_progress=False,
            title=TITLE,
            title_row=True,
            status=status,
            formats=(xlsx.GENERAL, xlsx.INTEGER),
        )
        cases = xlsx.Sheet(
            "案件清单",
            self.case_rows(),
            widths=CASE_WIDTHS,
            title=f"{TITLE} — 案件清单",
            status=status,
            formats=(*[None] * (len(CASE_HEADER) - 1), xlsx.AMOUNT),  # 罚没款金额（元）, to the fen
        )
        return xlsx.write_workbook(path, [summary, cases], progress)


def _cases(params, user):
    """The user's visible cases in the period chosen on the statistics page."""
    return selectors.in_period(visible(user, Case), *selectors.period_from_params(params))


def _count(params, user) -> int:
    return _cases(params, user).count() + 1


def _build(params, user, path, progress) -> None:
    StatisticsExport(_cases(params, user)).build(path, progress)


CASES = exporting.register("sprouts.cases", title=lambda params: TITLE, build=_build, count=_count)
