"""Excel export of the sprouts statistics and case list, built by a Celery worker (orgs.exporting).

``StatisticsExport`` yields the rows from the selectors; ``build`` applies the layout through ``orgs.xlsx``
(title row, bold group and 合计 rows, A4, header repeated, the date the figures were read).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice

from django.utils import timezone

from orgs import exporting, xlsx
from orgs.access import visible

from . import selectors
from .models import Case

TITLE = "豆芽质量安全案件统计"
# Every field a case has (the spec's case export): what was found, who leads and who cooperates, the
# hand-overs, the penalty and when the case was closed. Evidence files are named; the files stay on the case page.
CASE_COLUMNS = (
    # (header, width)
    ("案件编号", 14),
    ("发现日期", 11),
    ("县（区）", 10),
    ("环节", 8),
    ("发现来源", 10),
    ("经营者名称", 24),
    ("经营地址", 30),
    ("检出非法添加物", 24),
    ("发现的问题", 40),
    ("抽样检验结果", 30),
    ("涉嫌犯罪", 8),
    ("登记单位", 20),
    ("牵头部门", 10),
    ("承办单位", 20),
    ("配合单位", 30),
    ("状态", 8),
    ("办理结果", 10),
    ("移交记录", 40),
    ("处罚决定", 40),
    ("罚没款金额（元）", 12),
    ("办结日期", 11),
    ("办结说明", 30),
    ("证据材料", 30),
)
CASE_HEADER = [header for header, _ in CASE_COLUMNS]
CASE_WIDTHS = tuple(width for _, width in CASE_COLUMNS)
AMOUNT_COLUMN = CASE_HEADER.index("罚没款金额（元）")
CHOICE_FIELDS = ("stage", "source", "lead_sector", "status", "outcome")
BATCH = 2000


class StatisticsExport:
    def __init__(self, cases, today: date | None = None):
        self.cases = cases
        # One "today" for the whole workbook: which hand-overs are overdue, and the date the figures were read.
        self.today = today or timezone.localdate()

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
            "findings",
            "sample_results",
            "criminal_suspected",
            "reported_by_office__name",
            "lead_sector",
            "lead_office__name",
            "status",
            "outcome",
            "closed_at",
            "closing_note",
        )
        rows = values.iterator(chunk_size=BATCH)
        while batch := list(islice(rows, BATCH)):
            # What a batch of cases holds in other tables: a few queries per batch, not per case.
            ids = [row[0] for row in batch]
            related = selectors.case_related_texts(ids, self.today)
            yield from (self._case_row(row, labels, related) for row in batch)

    @staticmethod
    def _case_row(row, labels, related: selectors.CaseRelatedTexts) -> list:
        (
            case_id,
            number,
            found,
            district,
            stage,
            source,
            name,
            address,
            findings,
            samples,
            criminal,
            reporter,
            sector,
            office,
            status,
            outcome,
            closed_at,
            closing_note,
        ) = row
        penalty, amount = related.penalties.get(case_id, ("", None))
        return [
            number,
            found.isoformat(),
            district,
            labels["stage"].get(stage, stage),
            labels["source"].get(source, source),
            name,
            address,
            related.additives.get(case_id, ""),
            findings,
            samples,
            "是" if criminal else "否",
            reporter,
            labels["lead_sector"].get(sector, sector),
            office,
            related.cooperating.get(case_id, ""),
            labels["status"].get(status, status),
            labels["outcome"].get(outcome, outcome),
            related.handovers.get(case_id, ""),
            penalty,
            amount,
            timezone.localdate(closed_at).isoformat() if closed_at else "",
            closing_note,
            related.evidence.get(case_id, ""),
        ]

    def stat_rows(self) -> Iterator[list]:
        yield ["统计项目", "案件数"]
        for title, rows in selectors.statistics(self.cases, self.today).items():
            yield xlsx.Group([f"按{title}", None])
            yield from ([label, n] for label, n in rows)
            yield xlsx.Total(["合计", sum(n for _, n in rows)])

    def build(self, path, progress) -> int:
        # Ten years of cases are hundreds of thousands of rows: streamed, see orgs.xlsx.
        status = xlsx.status_as_of(self.today)
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
            formats=tuple(xlsx.AMOUNT if i == AMOUNT_COLUMN else None for i in range(len(CASE_HEADER))),
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
