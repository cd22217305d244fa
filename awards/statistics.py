"""The 市统计局 入统项目清单, imported by 发改委经办 (awards spec, "verified facts").

双政办发〔2020〕14号 二(二) makes "当年投资入统计库" a condition of the award: the 年度完成投资 scored is the
statistics bureau's, not the unit's declaration. One sheet ``入统项目清单``, header in row 1: 项目名称 | 责任主体 |
是否入统 | 年度完成投资（万元）. Rows are matched to the year's projects by the import's key (year, 项目名称,
责任主体 by name or alias); every difference with the declared figure is listed before anything is written, and
a project of the year missing from the list scores as not 入统 (its 完成投资 counts 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from orgs.excel import CellReader, RowError, WorkbookErrors, headers, open_workbook, read_sheet

from . import columns, services
from .imports import _entity, _entity_index, check_duplicate_project
from .models import Project
from .rules import ZERO, facts

SHEET = columns.STATISTICS_SHEET
HEADERS = headers(columns.STATISTICS_COLUMNS)
NOT_IN_STATISTICS_WITH_AMOUNT = "未入统的项目年度完成投资应为空或0"


@dataclass(frozen=True)
class Row:
    """One project as the statistics bureau lists it (or, for a project missing from the list, 未入统)."""

    project: Project
    in_statistics: bool
    investment: Decimal | None
    listed: bool = True

    @property
    def scored(self) -> Decimal:
        return facts.scored_investment(self.in_statistics, self.investment)

    @property
    def differs(self) -> bool:
        """The statistics figure scored is not the unit's declared 年度完成投资."""
        return self.scored != self.project.actual_investment

    @property
    def changes(self) -> bool:
        """The project's stored statistics figures change with this workbook."""
        p = self.project
        return (p.in_statistics, p.statistics_investment) != (self.in_statistics, self.investment)


@dataclass
class Plan:
    year: int
    rows: list[Row]
    unmatched: list[str] = field(default_factory=list)  # rows of the list with no declared project

    @property
    def differences(self) -> list[Row]:
        return [r for r in self.rows if r.differs]

    @property
    def missing(self) -> list[Row]:
        return [r for r in self.rows if not r.listed]


def parse(source, *, year: int) -> Plan:
    """Read and check the workbook; raise ``WorkbookErrors`` listing every problem. Nothing is written."""
    message = services.statistics_refusal(year)
    if message:
        raise WorkbookErrors([RowError("文件", 0, "", message)])
    workbook = open_workbook(source)
    errors: list[RowError] = []
    listed: dict[tuple[str, int], tuple[bool, Decimal | None, str]] = {}
    seen: dict[tuple[str, int], int] = {}
    try:
        index = _entity_index()
        for number, values in read_sheet(workbook, SHEET, HEADERS, errors):
            r = CellReader(SHEET, number, values, errors)
            before = len(errors)
            name_column, entity_column, in_column, amount_column = columns.STATISTICS_COLUMNS
            name = name_column.read(r)
            entity = _entity(r, entity_column.header, index, None)
            in_statistics = in_column.read(r)
            amount = r.decimal(amount_column.header, required=bool(in_statistics))
            if in_statistics is False and amount:
                r.error(amount_column.header, NOT_IN_STATISTICS_WITH_AMOUNT)
            check_duplicate_project(r, seen, name, entity, number)
            if len(errors) == before:
                figure = amount.quantize(Decimal("0.01")) if in_statistics else ZERO
                listed[(name, entity.pk)] = (in_statistics, figure, f"{entity.name} {name}")
    finally:
        workbook.close()
    if errors:
        raise WorkbookErrors(errors)
    rows = []
    for project in Project.objects.filter(year=year).select_related("entity"):
        found = listed.pop((project.name, project.entity_id), None)
        if found is None:
            rows.append(Row(project, False, ZERO, listed=False))
        else:
            rows.append(Row(project, found[0], found[1]))
    return Plan(year, rows, sorted(label for _in, _amount, label in listed.values()))


def import_workbook(source, *, year: int, by=None) -> dict[str, int]:
    return services.statistics_apply(parse(source, year=year), by=by)
