"""Excel bulk entry (spec "Excel import"): parse and check everything first, then write all or nothing.

Workbook: sheet ``项目清单`` and sheet ``产业项目目标``, header in row 1, data from row 2. Projects are keyed by
(year, name, entity), targets by (year, entity), so importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from orgs.excel import CellReader, RowError, WorkbookErrors, open_workbook, read_sheet
from orgs.models import Organization

from . import permissions, rules, services
from .models import Category, IndustrialTarget, Project

PROJECT_SHEET = "项目清单"
TARGET_SHEET = "产业项目目标"
BATCH = 1000
PROJECT_HEADERS = [
    "项目名称",
    "项目类别",
    "责任主体",
    "是否单体",
    "年度计划投资（万元）",
    "年度完成投资（万元）",
    "是否开复工",
    "是否竣工",
]
#: optional, after the eight columns: 15号 四(三) counts only 投资500万元以上产业项目
TOTAL_INVESTMENT = "计划总投资（万元）"
TARGET_HEADERS = ["责任主体", "开复工任务目标个数", "计划完成投资任务目标额（万元）"]
CATEGORY_BY_LABEL = {
    "省级百大项目": Category.PROV,
    "市级百大项目": Category.CITY,
    "产业项目": Category.IND,
    "投资500万元以上产业项目": Category.IND,
}

UNKNOWN_ENTITY = "未知的责任主体“{value}”"
UNKNOWN_CATEGORY = "未知的项目类别“{value}”，应为 省级百大项目 / 市级百大项目 / 产业项目"
NOT_OWN_ENTITY = "只能导入本单位（{own}）的数据"
DUPLICATE_ROW = "与第{row}行重复"
NAME_TOO_LONG = "不能超过 {limit} 个字"


@dataclass
class Change:
    kind: str  # "project" | "target"
    label: str
    action: str  # "add" | "change" | "unchanged"
    values: dict
    instance: object = None
    changed: list[str] = field(default_factory=list)


@dataclass
class Plan:
    year: int
    changes: list[Change]

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ("add", "change", "unchanged")}


def _entity_index() -> dict[str, Organization]:
    index: dict[str, Organization] = {}
    for org in Organization.objects.filter(award_group__isnull=False):
        for alias in org.aliases or []:
            index.setdefault(str(alias).strip(), org)
    for org in Organization.objects.filter(award_group__isnull=False):
        index[org.name] = org  # a real name always wins over someone else's alias
    return index


def _entity(reader: CellReader, column: str, index, own: Organization | None):
    text = reader.text(column)
    if not text:
        return None
    org = index.get(text.strip())
    if org is None:
        reader.error(column, UNKNOWN_ENTITY.format(value=text))
        return None
    if own is not None and org.pk != own.pk:
        reader.error(column, NOT_OWN_ENTITY.format(own=own.name))
        return None
    return org


def _optional_flag(reader: CellReader, column: str) -> bool | None:
    """是/否 flags that only some projects carry: an empty cell means 否."""
    if reader.text(column, required=False) == "":
        return False
    return reader.yes_no(column)


def parse(source, *, year: int, own: Organization | None = None) -> Plan:
    """Read and check the workbook; raise ``WorkbookErrors`` listing every problem. Nothing is written.

    ``own``: the uploader's organization — a 填报员 may only import rows of their own entity.
    """
    workbook = open_workbook(source)
    errors: list[RowError] = []
    try:
        index = _entity_index()
        projects, targets = [], []
        seen: dict[tuple, int] = {}
        for number, values in read_sheet(
            workbook, PROJECT_SHEET, PROJECT_HEADERS, errors, optional=(TOTAL_INVESTMENT,)
        ):
            r = CellReader(PROJECT_SHEET, number, values, errors)
            before = len(errors)
            name = r.text("项目名称")
            if len(name) > 200:
                r.error("项目名称", NAME_TOO_LONG.format(limit=200))
            category_text = r.text("项目类别")
            category = CATEGORY_BY_LABEL.get(category_text)
            if category_text and category is None:
                r.error("项目类别", UNKNOWN_CATEGORY.format(value=category_text))
            entity = _entity(r, "责任主体", index, own)
            single = _optional_flag(r, "是否单体")
            planned = r.decimal("年度计划投资（万元）")
            actual = r.decimal("年度完成投资（万元）")
            started = r.yes_no("是否开复工")
            completed = _optional_flag(r, "是否竣工")
            total = r.decimal(TOTAL_INVESTMENT, required=False) if TOTAL_INVESTMENT in values else None
            if category == Category.IND and total is not None and not rules.counts_as_industrial(total):
                r.error(TOTAL_INVESTMENT, rules.INDUSTRIAL_MINIMUM)
            if completed and started is False:
                r.error("是否竣工", rules.COMPLETED_NOT_STARTED)
            if actual and actual > 0 and started is False:
                r.error("年度完成投资（万元）", rules.INVESTMENT_NOT_STARTED)
            if name and entity is not None:
                key = (name, entity.pk)
                if key in seen:
                    r.error("项目名称", DUPLICATE_ROW.format(row=seen[key]))
                seen.setdefault(key, number)
            if len(errors) == before:
                projects.append(
                    {
                        "name": name,
                        "category": str(category),
                        "entity": entity,
                        "single": single,
                        "planned_investment": planned.quantize(Decimal("0.01")),
                        "actual_investment": actual.quantize(Decimal("0.01")),
                        "started": started,
                        "completed": completed,
                        **(
                            {"total_investment": total.quantize(Decimal("0.01"))} if total is not None else {}
                        ),
                    }
                )
        seen_targets: dict[int, int] = {}
        for number, values in read_sheet(workbook, TARGET_SHEET, TARGET_HEADERS, errors):
            r = CellReader(TARGET_SHEET, number, values, errors)
            before = len(errors)
            if own is not None:  # 15号 四(三): the targets are assigned by 发改委, never by the unit itself
                r.error("责任主体", permissions.TARGETS_BY_FGW)
            entity = _entity(r, "责任主体", index, own)
            count = r.integer("开复工任务目标个数")
            amount = r.decimal("计划完成投资任务目标额（万元）")
            if entity is not None:
                if entity.pk in seen_targets:
                    r.error("责任主体", DUPLICATE_ROW.format(row=seen_targets[entity.pk]))
                seen_targets.setdefault(entity.pk, number)
            if len(errors) == before:
                targets.append(
                    {
                        "entity": entity,
                        "target_count": count,
                        "target_amount": amount.quantize(Decimal("0.01")),
                    }
                )
    finally:
        workbook.close()
    if errors:
        raise WorkbookErrors(errors)
    locked = services.locked_message(year)
    if locked:
        raise WorkbookErrors([RowError("文件", 0, "", locked)])
    return Plan(year, _diff(year, projects, targets))


def _diff(year: int, projects: list[dict], targets: list[dict]) -> list[Change]:
    existing = {(p.name, p.entity_id): p for p in Project.objects.filter(year=year)}
    existing_targets = {t.entity_id: t for t in IndustrialTarget.objects.filter(year=year)}
    changes = []
    for values in projects:
        current = existing.get((values["name"], values["entity"].pk))
        label = f"{values['entity'].name} {values['name']}"
        changes.append(_change("project", label, values, current))
    for values in targets:
        current = existing_targets.get(values["entity"].pk)
        changes.append(_change("target", f"{values['entity'].name} 产业项目目标", values, current))
    return changes


def _change(kind: str, label: str, values: dict, current) -> Change:
    if current is None:
        return Change(kind, label, "add", values)
    changed = [k for k, v in values.items() if k != "entity" and getattr(current, k) != v]
    return Change(kind, label, "change" if changed else "unchanged", values, current, changed)


@transaction.atomic
def apply(plan: Plan, *, by=None) -> dict[str, int]:
    """Write the plan: all rows or none, in one transaction.

    ``parse`` has already checked every row, matched entities and keyed rows by (year, name, entity), so
    each row is validated field by field here and written in bulk, with its history row and acting user —
    a 10,000-row workbook is a few dozen statements, not tens of thousands.
    """
    services.ensure_unlocked(plan.year)
    now = timezone.now()
    batches = {Project: ([], [], set()), IndustrialTarget: ([], [], set())}
    for change in plan.changes:
        if change.action == "unchanged":
            continue
        model = Project if change.kind == "project" else IndustrialTarget
        obj = change.instance or model(year=plan.year)
        for k, v in change.values.items():
            setattr(obj, k, v)
        # The entity came from the directory in parse(); re-checking each foreign key would cost a query a row.
        obj.full_clean(exclude=["entity"], validate_unique=False, validate_constraints=False)
        new, changed, fields = batches[model]
        if obj.pk is None:
            new.append(obj)
        else:
            obj.updated_at = now  # bulk_update does not apply auto_now
            changed.append(obj)
            fields.update(change.values)
    for model, (new, changed, fields) in batches.items():
        if new:
            bulk_create_with_history(new, model, batch_size=BATCH, default_user=by)
        if changed:
            bulk_update_with_history(
                changed, model, fields=sorted(fields | {"updated_at"}), batch_size=BATCH, default_user=by
            )
    return plan.counts


def import_workbook(source, *, year: int, by=None, own: Organization | None = None) -> dict[str, int]:
    return apply(parse(source, year=year, own=own), by=by)


def template() -> bytes:
    """The empty import workbook offered for download (written by ``exports.ImportTemplate``)."""
    from .exports import ImportTemplate

    return ImportTemplate().content()
