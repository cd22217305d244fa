"""The chief-service section of the home page's overview: open and overdue ledger entries by unit."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from orgs import discovery
from orgs.overview import Section, link, rows_for, shows
from orgs.roles import Role

from .models import LedgerEntry

#: Roles that see this section on their home besides the whole-city readers, limited to the rows they may see.
SECTION_ROLES = (Role.BUSINESS_OFFICE, Role.REPORTER)

#: Units listed by name in the ledger section; the rest are summed up in one row.
LEDGER_UNITS_SHOWN = 12


@discovery.overview
def section(user, today: date) -> Section | None:
    if not shows(user, SECTION_ROLES):
        return None
    counts = list(
        rows_for(user, LedgerEntry)
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
        summary=f"未销号 {n_open} 件，其中逾期 {n_overdue} 件。",
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
        link=link(user, "chiefservice:ledger_list", "打开服务台账"),
        empty="没有未销号的台账事项。",
    )
