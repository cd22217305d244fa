"""Excel upload of a unit's 招商引资项目 list: every row checked, all or nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError

from orgs.excel import (
    EMPTY_SHEET,
    CellReader,
    RowError,
    WorkbookErrors,
    clean_text,
    open_workbook,
    read_sheet,
)

from .models import Project, Source

SHEET = "招商引资项目"
HEADERS = [
    "项目名称",
    "投资方",
    "资金来源",
    "签约日期",
    "签约额（万元）",
    "所属产业",
    "属主导产业",
    "开工日期",
    "当年到位外资（万美元）",
    "当年到位内资（万元）",
]
BAD_SOURCE = "应为“外资”或“内资”，实际为“{value}”"
BAD_DATE = "应为日期（如 2020-05-01），实际为“{value}”"
WRONG_YEAR = "开工/签约日期不应晚于{year}年"
SOURCES = {label: value for value, label in Source.choices}
# The model's own rules (Project.clean) report against these columns, with the model's message.
COLUMNS = {"signed_on": "签约日期", "started_on": "开工日期"}


def _date(reader: CellReader, column: str, year: int) -> date | None:
    raw = reader.values.get(column)
    if raw is None or clean_text(raw) == "":
        return None
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        text = clean_text(raw).replace("/", "-").replace(".", "-")
        try:
            value = date.fromisoformat(text)
        except ValueError:
            reader.error(column, BAD_DATE.format(value=clean_text(raw)))
            return None
    if value.year > year:
        reader.error(column, WRONG_YEAR.format(year=year))
        return None
    return value


def parse(upload, *, year: int) -> list[Project]:
    """Unsaved ``Project``s from the upload, or ``WorkbookErrors`` listing every bad row."""
    workbook = open_workbook(upload)
    errors: list[RowError] = []
    projects = []
    try:
        for number, values in read_sheet(workbook, SHEET, HEADERS, errors):
            reader = CellReader(SHEET, number, values, errors)
            source_text = reader.text("资金来源")
            source = SOURCES.get(source_text)
            if source_text and source is None:
                reader.error("资金来源", BAD_SOURCE.format(value=source_text))
            project = Project(
                year=year,
                name=reader.text("项目名称")[:200],
                investor=reader.text("投资方")[:200],
                source=source or "",
                signed_on=_date(reader, "签约日期", year),
                contract_wan=reader.decimal("签约额（万元）", required=False) or 0,
                industry=reader.text("所属产业", required=False)[:100],
                is_leading=bool(reader.yes_no("属主导产业")),
                started_on=_date(reader, "开工日期", year),
                received_foreign_musd=reader.decimal("当年到位外资（万美元）", required=False) or 0,
                received_domestic_wan=reader.decimal("当年到位内资（万元）", required=False) or 0,
            )
            try:
                project.clean()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        reader.error(COLUMNS.get(field, ""), message)
            projects.append(project)
    finally:
        workbook.close()
    if not errors and not projects:
        errors.append(RowError(SHEET, 0, "", EMPTY_SHEET))
    if errors:
        raise WorkbookErrors(errors)
    return projects
