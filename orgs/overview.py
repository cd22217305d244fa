"""Where the year stands in the four systems, for the home page.

发改委审批, 市政府办公室 and 领导 see all four for the whole city: award money by unit
and status, investment completion by county, open and overdue ledger entries by unit, sprout cases by
month. Other roles see the systems they work in, limited to the rows ``orgs.access.visible`` gives them.

Each section is a small table plus the same figures as a chart specification, which the page hands to
``static/js/charts.js`` through ``json_script`` (no inline script: the CSP allows scripts from the site only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.urls import reverse

from .access import user_organization, visible
from .menu import may_open
from .roles import Role, has_role, roles_of

#: Roles whose home shows the whole city's overview of the four systems.
OVERVIEW_ROLES = (Role.FGW_APPROVER, Role.CITY_OFFICE, Role.LEADER)

#: Roles that see one system's section on their home, limited to the rows they may see.
SECTION_ROLES = {
    "awards": (Role.FGW_CLERK, Role.FINANCE),
    "investment": (Role.ASSESSOR, Role.REPORTER),
    "chiefservice": (Role.BUSINESS_OFFICE, Role.REPORTER),
    "sprouts": (Role.MARKET, Role.AGRICULTURE, Role.POLICE),
}

#: How long an overview is kept: the whole city's aggregates every unit's rows of four systems and is the home
#: page of every 发改委审批, 市政府办公室 and 领导 account; a unit's own reads all of that unit's rows (a
#: county's ledger, its cases). The home page says so; its 待办 list is always read afresh.
OVERVIEW_SECONDS = 60

#: Units listed by name in the ledger section; the rest are summed up in one row.
LEDGER_UNITS_SHOWN = 12


@dataclass
class Section:
    key: str
    title: str
    status: str  # one line: where the year stands
    headers: list[str]
    rows: list[list]
    chart: dict
    link: tuple[str, str] | None = None  # (url, label) of the system's page, when the user may open it
    empty: str = "暂无数据。"
    notes: list[str] = field(default_factory=list)


def sees_overview(user) -> bool:
    return has_role(user, *OVERVIEW_ROLES)


def _shows(user, key: str) -> bool:
    return sees_overview(user) or has_role(user, *SECTION_ROLES[key])


def _rows_for(user, model):
    """The whole city for the overview roles; otherwise the rows the scoping module gives the user."""
    return model._default_manager.all() if sees_overview(user) else visible(user, model)


def _link(user, url_name: str, label: str, *args):
    return (reverse(url_name, args=args), label) if may_open(user, url_name, *args) else None


def sections_for(user, today: date) -> list[Section]:
    """The user's sections, kept for ``OVERVIEW_SECONDS``: the whole city's once for every account of the same
    roles, a unit's own once for each account (its rows are those ``orgs.access.visible`` gives that account)."""
    holder = ",".join(sorted(roles_of(user))) if sees_overview(user) else f"user-{user.pk}"
    key = f"orgs.overview:{today.isoformat()}:{holder}"
    return cache.get_or_set(key, lambda: _build(user, today), OVERVIEW_SECONDS)


def _build(user, today: date) -> list[Section]:
    builders = [
        ("awards", _awards),
        ("investment", _investment),
        ("chiefservice", _ledger),
        ("sprouts", _sprouts),
    ]
    return [build(user, today) for key, build in builders if _shows(user, key)]


# --- 百大项目建设奖励 -----------------------------------------------------------------------------------


def _awards(user, today: date) -> Section:
    from awards.models import Allocation, AllocationLine
    from awards.selectors import money_card

    allocation = _rows_for(user, Allocation).order_by("-year", "-revision").first()
    section = Section(
        key="awards",
        title="百大项目建设奖励：奖励资金",
        status="尚未计算任何年度的奖励资金分配。",
        headers=["单位", "已拨付（万元）", "待拨付（万元）", "取消资格（万元）"],
        rows=[],
        chart={},
        link=_link(user, "awards:index", "打开百大项目奖励"),
    )
    if allocation is None:
        return section
    section.title = f"百大项目建设奖励：{allocation.year}年度奖励资金"
    waiting = allocation.waiting_for
    section.status = f"{allocation.get_status_display()}" + (f"，等待{waiting}" if waiting else "")
    if allocation.city_document_no:
        section.status += f"；市政府批复 {allocation.city_document_no}"
    if may_open(user, "awards:allocation", allocation.year):
        section.link = _link(user, "awards:allocation", f"打开{allocation.year}年度分配表", allocation.year)
    # The year's money across its revisions, as the allocation page and its export show it.
    units = _rows_for(user, AllocationLine).filter(allocation=allocation).values_list("entity_id", flat=True)
    card = money_card(allocation.year, entity_ids=set(units))
    section.headers, section.rows, section.chart = card.headers, card.rows, card.chart
    section.notes.append(card.note)
    return section


# --- 招商引资考核 ---------------------------------------------------------------------------------------


def _investment(user, today: date) -> Section:
    from investment import rules, selectors
    from investment.models import Project

    year = selectors.default_year()
    target_set = selectors.current_targets(year)
    section = Section(
        key="investment",
        title=f"招商引资考核：{year}年度指标完成情况（按项目清单计算）",
        status=f"{year}年度任务指标尚未下达。",
        headers=["县（区）", "签约额完成率（%）", "开工率（%）", "外资完成率（%）", "内资完成率（%）"],
        rows=[],
        chart={},
        link=_link(user, "investment:indicators", "打开指标完成情况"),
    )
    if target_set is None:
        return section
    section.status = f"{year}年度任务指标已下达（第{target_set.version}版）。"
    targets = selectors.county_rows(target_set)
    if not has_role(user, *OVERVIEW_ROLES, Role.ASSESSOR):
        own = user_organization(user)
        targets = [t for t in targets if own is not None and t.organization_id == own.pk]
    facts = defaultdict(list)
    projects = Project.objects.filter(year=year, organization__in=[t.organization_id for t in targets])
    for organization_id, *values in projects.values_list("organization_id", *selectors.FACT_FIELDS):
        facts[organization_id].append(rules.ProjectFacts(*values))
    params = selectors.parameters(year)
    for target in targets:
        measured = rules.measures(
            facts[target.organization_id],
            year,
            foreign_threshold_musd=params.foreign_major_musd,
            domestic_threshold_yi=params.domestic_major_yi,
        )
        rates = [
            rules.completion_rate(measured[rules.SIGNED_WAN], target.signing_yi * rules.WAN_PER_YI),
            rules.completion_rate(measured[rules.STARTED], Decimal(target.new_projects)),
            rules.completion_rate(measured[rules.FOREIGN_MUSD], target.foreign_musd),
            rules.completion_rate(measured[rules.DOMESTIC_WAN], target.domestic_yi * rules.WAN_PER_YI),
        ]
        section.rows.append([target.organization.name, *rates])
    section.chart = {
        "kind": "bar",
        "unit": "%",
        "categories": [row[0] for row in section.rows],
        "series": [
            {"name": label, "data": [_number(row[i]) for row in section.rows]}
            for i, label in enumerate(section.headers[1:], start=1)
        ],
    }
    return section


def _number(value):
    return None if value is None else float(value)


# --- 企业首席服务员 ----------------------------------------------------------------------------------------


def _ledger(user, today: date) -> Section:
    from chiefservice.models import LedgerEntry

    counts = list(
        _rows_for(user, LedgerEntry)
        .filter(closed_on__isnull=True)
        .values_list("officer__unit__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
        .order_by("-overdue", "-open", "officer__unit__name")
    )
    shown, rest = counts[:LEDGER_UNITS_SHOWN], counts[LEDGER_UNITS_SHOWN:]
    rows = [[name, n_open, n_overdue] for name, n_open, n_overdue in shown]
    if rest:
        rows.append([f"其他 {len(rest)} 个单位", sum(r[1] for r in rest), sum(r[2] for r in rest)])
    n_open, n_overdue = sum(r[1] for r in counts), sum(r[2] for r in counts)
    return Section(
        key="chiefservice",
        title="企业首席服务员：服务台账未销号事项（截至今日）",
        status=f"未销号 {n_open} 件，其中逾期 {n_overdue} 件。",
        headers=["单位", "未销号（件）", "其中逾期（件）"],
        rows=rows,
        chart={
            "kind": "hbar",
            "unit": "件",
            "categories": [row[0] for row in rows],
            "series": [
                {"name": "未销号", "data": [row[1] for row in rows]},
                {"name": "其中逾期", "data": [row[2] for row in rows]},
            ],
        },
        link=_link(user, "chiefservice:ledger_list", "打开服务台账"),
        empty="没有未销号的台账事项。",
    )


# --- 豆芽质量安全监管 -------------------------------------------------------------------------------------


def _sprouts(user, today: date) -> Section:
    from sprouts.choices import Status
    from sprouts.models import Case

    year = today.year
    counts = (
        _rows_for(user, Case)
        .filter(found_on__year=year)
        .annotate(month=ExtractMonth("found_on"))
        .values_list("month", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_month: dict[int, dict[str, int]] = defaultdict(dict)
    for month, status, n in counts:
        by_month[month][status] = n
    months = range(1, (today.month if today.year == year else 12) + 1)
    statuses = list(Status)
    rows = [[f"{month}月", *(by_month[month].get(s.value, 0) for s in statuses)] for month in months]
    total = sum(sum(row[1:]) for row in rows)
    pending = sum(row[1 + statuses.index(Status.PENDING)] for row in rows)
    return Section(
        key="sprouts",
        title=f"豆芽质量安全监管：{year}年线索/案件（按发现月份）",
        status=f"{year}年登记 {total} 件，待接收 {pending} 件。",
        headers=["月份", *(f"{s.label}（件）" for s in statuses)],
        rows=rows if total else [],
        chart={
            "kind": "bar",
            "stack": True,
            "unit": "件",
            "categories": [row[0] for row in rows],
            "series": [
                {"name": s.label, "data": [row[1 + i] for row in rows]} for i, s in enumerate(statuses)
            ],
        },
        link=_link(user, "sprouts:statistics", "打开案件统计"),
        empty=f"{year}年尚无登记的线索/案件。",
    )
