"""Excel bulk entry (spec "Excel import"): parse and check everything first, then write all or nothing.

Workbook: sheet ``项目清单`` and sheet ``产业项目目标``, header in row 1, data from row 2. Projects are keyed by
(year, name, entity), targets by (year, entity), so importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from django.db import connections, router, transaction
from django.db.models import sql
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from orgs.excel import CellReader, RowError, WorkbookErrors, clean_text, headers, open_workbook, read_sheet
from orgs.models import Organization
from orgs.workflow import require
from security import audit
from security.models import AuditEvent

from . import columns, permissions, rules, services
from .columns import PROJECT_SHEET, TARGET_SHEET
from .models import Category, IndustrialTarget, Project, Verification
from .services.facts import PENDING_FIELDS

BATCH = 500
PROJECT_HEADERS = headers(columns.PROJECT_REQUIRED)
TOTAL_INVESTMENT = columns.TOTAL.header
TARGET_HEADERS = headers(columns.TARGET_COLUMNS)
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


def check_duplicate_project(r, seen: dict, name: str, entity, number: int) -> None:
    """A project is one row of a workbook, keyed by its name and unit: a second row names the first."""
    if name and entity is not None:
        key = (name, entity.pk)
        if key in seen:
            r.error("项目名称", DUPLICATE_ROW.format(row=seen[key]))
        seen.setdefault(key, number)


NAME_TOO_LONG = "不能超过 {limit} 个字"
INDUSTRIAL_COLUMN_MISSING = "产业项目须填写计划总投资（万元）：工作表缺少“计划总投资（万元）”列，请下载最新导入模板，在该列填写后重新导入。"


@dataclass
class Change:
    kind: str  # "project" | "target"
    label: str
    action: str  # "add" | "change" | "unchanged"
    values: dict
    instance: object = None
    changed: list[str] = field(default_factory=list)

    @property
    def differences(self) -> list[str]:
        """Each changed field as the preview shows it: its label, the old and the new value
        (``开复工任务目标个数：3 → 5``)."""
        meta = MODELS[self.kind]._meta
        return [
            f"{f.verbose_name}：{_display(f, getattr(self.instance, f.attname))} → {_display(f, self.values[name])}"
            for name in self.changed
            for f in (meta.get_field(name),)
        ]


@dataclass
class Plan:
    year: int
    changes: list[Change]

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ("add", "change", "unchanged")}


MODELS = {"project": Project, "target": IndustrialTarget}
#: the import's keys within a year (``parse`` keys the rows, the unique constraints hold them)
KEYS = {Project: ("name", "entity_id"), IndustrialTarget: ("entity_id",)}


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
            name_column, category_column, entity_column, *rest = columns.PROJECT_REQUIRED
            name = name_column.read(r)
            if len(name) > 200:
                r.error(name_column.header, NAME_TOO_LONG.format(limit=200))
            category_text = category_column.read(r)
            category = CATEGORY_BY_LABEL.get(category_text)
            if category_text and category is None:
                r.error(category_column.header, UNKNOWN_CATEGORY.format(value=category_text))
            entity = _entity(r, entity_column.header, index, own)
            read = {c.field: c.read(r) for c in rest}
            planned, actual = read["planned_investment"], read["actual_investment"]
            started, completed = read["started"], read["completed"]
            total = columns.TOTAL.read(r) if TOTAL_INVESTMENT in values else None
            # an empty 计划总投资 never "counts" (awards spec, "verified facts"): required on every 产业项目 row
            if category == Category.IND and TOTAL_INVESTMENT not in values:
                r.error(TOTAL_INVESTMENT, INDUSTRIAL_COLUMN_MISSING)
            elif category == Category.IND and total is None and not clean_text(values.get(TOTAL_INVESTMENT)):
                r.error(TOTAL_INVESTMENT, rules.INDUSTRIAL_TOTAL_REQUIRED)
            elif category == Category.IND and total is not None and not rules.counts_as_industrial(total):
                r.error(TOTAL_INVESTMENT, rules.INDUSTRIAL_MINIMUM)
            if completed and started is False:
                r.error("是否竣工", rules.COMPLETED_NOT_STARTED)
            if actual and actual > 0 and started is False:
                r.error(columns.ACTUAL.header, rules.INVESTMENT_NOT_STARTED)
            check_duplicate_project(r, seen, name, entity, number)
            if len(errors) == before:
                projects.append(
                    {
                        "name": name,
                        "category": str(category),
                        "entity": entity,
                        "single": read["single"],
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
            read = {c.field: c.read(r) for c in columns.TARGET_COLUMNS[1:]}
            count, amount = read["target_count"], read["target_amount"]
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


def _display(model_field, value) -> str:
    """A value as the preview shows it: 是/否, the category's name, money (万元) with two decimals."""
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _change(kind: str, label: str, values: dict, current) -> Change:
    if current is None:
        return Change(kind, label, "add", values)
    changed = [k for k, v in values.items() if k != "entity" and getattr(current, k) != v]
    return Change(kind, label, "change" if changed else "unchanged", values, current, changed)


@transaction.atomic
def apply(plan: Plan, *, by=None) -> dict[str, int]:
    """Write the plan: all rows or none, in one transaction.

    ``parse`` has already checked every row, matched entities and keyed rows by (year, name, entity); here each
    row is validated by the model (field validators and ``clean()``, as the form and the admin do), then the
    rows and their history rows are written with the acting user — a 10,000-row workbook in a dozen
    statements, not tens of thousands.
    """
    services.ensure_unlocked(plan.year)
    now = timezone.now()
    for kind, model in MODELS.items():
        objs, names = [], {"updated_at"}
        for change in plan.changes:
            if change.kind != kind or change.action == "unchanged":
                continue
            if change.instance is None:
                obj = model(year=plan.year, **change.values)
            else:
                obj = change.instance
                for name, value in change.values.items():
                    setattr(obj, name, value)
                names.update(change.changed)
                if kind == "project" and obj.verification == Verification.VERIFIED:
                    # a unit's edit of a verified project sends it back to 待核实 (history keeps both)
                    services.mark_pending(obj)
                    names.update(PENDING_FIELDS)
            objs.append(obj)
        _full_clean(model, objs)
        for obj in objs:
            obj.updated_at = now  # bulk writes do not apply auto_now
        new = [obj for obj in objs if obj.pk is None]
        changed = [obj for obj in objs if obj.pk is not None]
        if new:
            _write(model, new, year=plan.year, names=None, now=now, by=by)
        if changed:
            _write(model, changed, year=plan.year, names=sorted(names), now=now, by=by)
    counts = plan.counts
    # The rows' history is written in bulk, without the per-row signal the audit trail listens to: the import
    # itself is one record of it (GB/T 22239-2019 8.1.4.3).
    audit.record(
        AuditEvent.Kind.CHANGE,
        user=by,
        target=f"{plan.year}年度百大项目数据导入",
        detail=f"新增 {counts['add']} 行，修改 {counts['change']} 行，未变 {counts['unchanged']} 行",
    )
    return counts


def _full_clean(model, objs: list) -> None:
    """``full_clean()`` of every row — the field validators and ``clean()``, as the form and the admin run them —
    without the work that repeats across rows: a field value that an earlier row has passed is not checked again
    (year, category and flags are the same on most rows).

    The entity came from the directory in parse() (checking each foreign key would cost a query a row); the
    unique checks are parse()'s keys, which the unique constraints hold again on insert.
    """
    checks = [(f.name, f.attname, set()) for f in model._meta.concrete_fields if f.name != "entity"]
    for obj in objs:
        known, new = [], []
        for name, attname, passed in checks:
            value = getattr(obj, attname)
            # Decimal("1.0") == Decimal("1.00"), but only one of them has two decimal places
            key = str(value) if value.__class__ is Decimal else value
            if key in passed:
                known.append(name)
            else:
                new.append((passed, key))
        obj.full_clean(exclude=["entity", *known], validate_unique=False, validate_constraints=False)
        for passed, key in new:
            passed.add(key)


# Django's bulk_create and bulk_update compile every value into the statement's text, at most 999 parameters a
# statement on SQLite: for 10,000 rows and their history that was most of the import's time. Here Django's
# compiler writes the statement of one row, and it runs over all rows (``executemany``), with the values
# converted by the same fields.


def _db_columns(fields, objs: list, conn) -> dict[str, list]:
    """Each field's values (by attname) as the database takes them (``Field.get_db_prep_save``), one list a
    field; each distinct value converted once (year, entity and flags repeat on most rows)."""
    columns = {}
    for f in fields:
        converted: dict = {}
        column = []
        for value in map(attrgetter(f.attname), objs):
            try:
                db_value = converted[value]
            except KeyError:
                db_value = converted[value] = f.get_db_prep_save(value, conn)
            except TypeError:  # an unhashable value (JSON)
                db_value = f.get_db_prep_save(value, conn)
            column.append(db_value)
        columns[f.attname] = column
    return columns


def _executemany(conn, sql: str, fields, columns: dict[str, list]) -> None:
    with conn.cursor() as cursor:
        cursor.executemany(sql, list(zip(*(columns[f.attname] for f in fields), strict=True)))


def _insert_sql(conn, model, fields, obj) -> str:
    """The INSERT of one row as Django's compiler writes it (placeholders, no values), to run over every row."""
    query = sql.InsertQuery(model)
    query.insert_values(fields, [obj])
    [(statement, _params)] = query.get_compiler(connection=conn).as_sql()
    return statement


def _write(model, objs: list, *, year: int, names: list[str] | None, now, by) -> None:
    """INSERT ``objs`` (``names`` None) with their history rows, as ``bulk_create_with_history`` writes them
    (acting user, no reason); or UPDATE their fields ``names`` through ``bulk_update_with_history`` (a
    correction of rows already there, not the bulk of a year's first import)."""
    if names is not None:
        bulk_update_with_history(
            objs, model, fields=names, batch_size=BATCH, default_user=by, default_date=now
        )
        return
    conn = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = _db_columns(fields, objs, conn)
    _executemany(conn, _insert_sql(conn, model, fields, objs[0]), fields, columns)
    # the new rows' keys, read back by the import's key (executemany returns no rows)
    key = KEYS[model]
    pks = {
        tuple(row[:-1]): row[-1]
        for row in model._default_manager.filter(year=year).order_by().values_list(*key, "pk")
    }
    for obj in objs:
        obj.pk = pks[tuple(getattr(obj, name) for name in key)]
        obj._state.adding = False
    columns.update(_db_columns([meta.pk], objs, conn))

    history = model.history.model
    user = by if by is not None else history.get_default_history_user(objs[0])
    constants = {
        "history_date": now,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    for f in history_fields:
        if f.attname in constants:
            columns[f.attname] = [f.get_db_prep_save(constants[f.attname], conn)] * len(objs)
    record = history(  # a row of the statement's shape: the first object's values and the history's own
        **{f.attname: constants.get(f.attname, getattr(objs[0], f.attname, None)) for f in history_fields}
    )
    _executemany(conn, _insert_sql(conn, history, history_fields, record), history_fields, columns)


def import_workbook(source, *, year: int, by=None, own: Organization | None = None) -> dict[str, int]:
    if by is not None:
        require(permissions.can_import(by))
    return apply(parse(source, year=year, own=own), by=by)


def template() -> bytes:
    """The empty import workbook offered for download (``exports.ProjectWorkbook`` without a year)."""
    from .exports import ProjectWorkbook

    return ProjectWorkbook().content()
