"""Read a published allocation table (the export layout) and reconcile it with ``rules.reconcile``.

Used by ``awards_reconcile`` and by the reconciliation page: the same parsing, the same messages.
"""

from __future__ import annotations

from decimal import Decimal

from orgs.excel import CellReader, RowError, WorkbookErrors, clean_text, open_workbook
from orgs.models import Organization

from . import rules, services
from .exports import TABLE_SHEET

COLUMNS = ("序号", "县区/单位", "考核得分", "折算后得分", "奖励金额（万元）")
NO_HEADER = "找不到表头（B列为“县区/单位”的行）"
NO_GROUP = "该行不属于“第一组”或“第二组”"
NO_ROWS = "表中没有单位行"


def _label(value) -> str:
    return "".join(clean_text(value).split())


def parse(source) -> list[rules.PublishedRow]:
    """The table's total, subtotal and entity rows; every unreadable cell is reported, nothing is guessed."""
    workbook = open_workbook(source)
    try:
        sheet = workbook[TABLE_SHEET] if TABLE_SHEET in workbook.sheetnames else workbook.worksheets[0]
        title = sheet.title
        errors: list[RowError] = []
        raw_rows = list(sheet.iter_rows(values_only=True, max_col=5))
    finally:
        workbook.close()
    header = next(
        (i for i, r in enumerate(raw_rows) if r and len(r) > 1 and _label(r[1]) == "县区/单位"), None
    )
    if header is None:
        raise WorkbookErrors([RowError(title, 0, "", NO_HEADER)])
    orders = {}
    organizations = list(Organization.objects.filter(award_group__isnull=False))
    rows: list[rules.PublishedRow] = []
    group = None
    for index in range(header + 1, len(raw_rows)):
        number = index + 1
        values = tuple(raw_rows[index] or ()) + (None,) * 5
        name = _label(values[1])
        if not name:
            continue
        reader = CellReader(title, number, dict(zip(COLUMNS, values[:5], strict=True)), errors)
        raw = reader.decimal("考核得分")
        converted = reader.integer("折算后得分")
        amount = reader.integer("奖励金额（万元）")
        if "合计" in name:
            kind = "total"
        elif "第一组" in name or "第二组" in name:
            kind, group = "group", 1 if "第一组" in name else 2
        else:
            kind = "entity"
            if group is None:
                reader.error("县区/单位", NO_GROUP)
        if name not in orders:
            match = next((o for o in organizations if o.matches(name)), None)
            orders[name] = match.directory_order if match else 1_000_000 + number
        if raw is None or converted is None or amount is None:
            continue
        rows.append(
            rules.PublishedRow(
                row=number,
                kind=kind,
                group=None if kind == "total" else group,
                name=name,
                raw=raw,
                converted=converted,
                amount=amount,
                order=orders[name],
            )
        )
    if not errors and not any(r.kind == "entity" for r in rows):
        errors.append(RowError(title, 0, "", NO_ROWS))
    if errors:
        raise WorkbookErrors(errors)
    return rows


def reconcile_file(source, *, year: int, rate: Decimal | None = None) -> list[str]:
    """Every inconsistency of the published table, with the year's rate (or ``rate``) and tier table."""
    params = services.scheme_for_year(year)
    scheme = services.scheme_of(params, rate=rate)
    return rules.reconcile(parse(source), rate=scheme.rate, tiers=scheme.tiers)
