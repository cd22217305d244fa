"""The sprouts section of the home page's overview: the year's clues and cases by month and status."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from orgs import discovery
from orgs.overview import Section, link, rows_for, shows
from orgs.roles import Role

from .choices import Status
from .models import Case

#: Roles that see this section on their home besides the whole-city readers, limited to the rows they may see.
SECTION_ROLES = (Role.MARKET, Role.AGRICULTURE, Role.POLICE)


@discovery.overview
def section(user, today: date) -> Section | None:
    if not shows(user, SECTION_ROLES):
        return None
    year = today.year
    counts = (
        rows_for(user, Case)
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
        summary=f"{year}年登记 {total} 件，待接收 {pending} 件。",
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
        link=link(user, "sprouts:statistics", "打开案件统计"),
        empty=f"{year}年尚无登记的线索/案件。",
    )
