"""Excel upload of served subjects: every row checked first, then all written in one transaction or none."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from orgs.excel import CellReader, RowError, WorkbookErrors, open_workbook, read_sheet
from orgs.models import Organization, OrganizationKind

from . import rules, services
from .models import CREDIT_CODE_REQUIRED, ServedSubject, SubjectKind, SubjectSize

SHEET = "服务对象"
SUBJECT_HEADERS = [
    "名称",
    "类型",
    "统一社会信用代码",
    "所属县（区）",
    "网格",
    "规模",
    "省重点项目",
    "省百大项目",
    "市重点规上企业",
    "重点监测企业",
    "招商引资合同签订日期",
]
UNKNOWN_CHOICE = "应为{choices}之一，实际为“{value}”"
UNKNOWN_DISTRICT = "不是本市的县（区）：“{value}”"
NOT_A_DATE = "应为日期（如 2020-08-01），实际为“{value}”"
DUPLICATE_IN_FILE = "与第{row}行的统一社会信用代码重复"
ALREADY_REGISTERED = "该统一社会信用代码已登记为“{name}”"
CODE_REQUIRED = CREDIT_CODE_REQUIRED  # the model's message: every path says the same
OUTSIDE_DISTRICT = "只能导入本县（区）的服务对象"
NO_ROWS = "工作表没有数据行"


def _choice(reader: CellReader, column: str, choices, required: bool = True) -> str:
    value = reader.text(column, required=required)
    if not value:
        return ""
    by_label = {label: key for key, label in choices}
    if value not in by_label:
        reader.error(column, UNKNOWN_CHOICE.format(choices="、".join(by_label), value=value))
        return ""
    return by_label[value]


def _date(reader: CellReader, column: str) -> date | None:
    raw = reader.values.get(column)
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        reader.error(column, NOT_A_DATE.format(value=str(raw).strip()))
        return None


def parse_subjects(workbook, *, registered_by: Organization) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    counties = list(Organization.objects.filter(kind=OrganizationKind.COUNTY))
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for number, values in read_sheet(workbook, SHEET, SUBJECT_HEADERS, errors):
        reader = CellReader(SHEET, number, values, errors)
        kind = _choice(reader, "类型", SubjectKind.choices)
        # An all-digit code typed into a numeric cell arrives as a number, its last digits already lost.
        numeric = rules.numeric_cell_error(values.get("统一社会信用代码"))
        code = "" if numeric else rules.normalize_credit_code(reader.text("统一社会信用代码", required=False))
        if numeric:
            reader.error("统一社会信用代码", numeric)
        elif code:
            for message in rules.credit_code_errors(code):
                reader.error("统一社会信用代码", message)
            if code in seen:
                reader.error("统一社会信用代码", DUPLICATE_IN_FILE.format(row=seen[code]))
            seen.setdefault(code, number)
        elif kind and kind != SubjectKind.PROSPECTIVE:
            reader.error("统一社会信用代码", CODE_REQUIRED)
        district_name = reader.text("所属县（区）")
        district = next((c for c in counties if c.matches(district_name)), None)
        if district_name and district is None:
            reader.error("所属县（区）", UNKNOWN_DISTRICT.format(value=district_name))
        if district and registered_by.kind == OrganizationKind.COUNTY and district != registered_by:
            reader.error("所属县（区）", OUTSIDE_DISTRICT)
        flags = [reader.yes_no(c) for c in ("省重点项目", "省百大项目", "市重点规上企业", "重点监测企业")]
        rows.append(
            {
                "row": number,
                "name": reader.text("名称")[:120],
                "kind": kind,
                "credit_code": code,
                "district": district,
                "grid": reader.text("网格", required=False)[:60],
                "size": _choice(reader, "规模", SubjectSize.choices, required=False),
                "is_provincial_key": bool(flags[0]),
                "is_provincial_top100": bool(flags[1]),
                "is_city_key": bool(flags[2]),
                "is_monitored": bool(flags[3]),
                "contract_signed_on": _date(reader, "招商引资合同签订日期"),
            }
        )
    if not rows and not errors:
        errors.append(RowError(SHEET, 0, "", NO_ROWS))
    existing = dict(
        ServedSubject.objects.filter(
            credit_code__in=[r["credit_code"] for r in rows if r["credit_code"]]
        ).values_list("credit_code", "name")
    )
    for r in rows:
        if r["credit_code"] in existing:
            errors.append(
                RowError(
                    SHEET,
                    r["row"],
                    "统一社会信用代码",
                    ALREADY_REGISTERED.format(name=existing[r["credit_code"]]),
                )
            )
    return rows, errors


def subjects_import(*, upload, by, registered_by: Organization) -> int:
    """All or nothing: every row's problems are reported together and nothing is written."""
    workbook = open_workbook(upload)
    try:
        rows, errors = parse_subjects(workbook, registered_by=registered_by)
    finally:
        workbook.close()
    if errors:
        raise WorkbookErrors(errors)
    try:
        with transaction.atomic():
            for r in rows:
                number = r.pop("row")
                try:
                    services.subject_create(by=by, registered_by=registered_by, **r)
                except ValidationError as exc:
                    raise WorkbookErrors([RowError(SHEET, number, "", "；".join(exc.messages))]) from exc
    except WorkbookErrors:
        raise
    return len(rows)
