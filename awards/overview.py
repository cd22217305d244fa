"""The awards section of the home page's overview: the latest allocation's money by unit and status."""

from __future__ import annotations

from datetime import date

from orgs import discovery
from orgs.menu import may_open
from orgs.overview import Section, link, rows_for, shows
from orgs.roles import Role

from .models import Allocation, AllocationLine, AllocationStatus

#: Roles that see this section on their home besides the whole-city readers, limited to the rows they may see.
SECTION_ROLES = (Role.FGW_CLERK, Role.FINANCE)


@discovery.overview
def section(user, today: date) -> Section | None:
    if not shows(user, SECTION_ROLES):
        return None
    allocation = rows_for(user, Allocation).order_by("-year", "-revision").first()
    section = Section(
        key="awards",
        title="百大项目建设奖励：奖励资金",
        status="尚未计算任何年度的奖励资金分配。",
        headers=["单位", "已拨付（万元）", "待拨付（万元）", "取消资格（万元）"],
        rows=[],
        chart={},
        link=link(user, "awards:index", "打开百大项目奖励"),
    )
    if allocation is None:
        return section
    section.title = f"百大项目建设奖励：{allocation.year}年度奖励资金"
    waiting = allocation.waiting_for
    section.status = f"{allocation.get_status_display()}" + (f"，等待{waiting}" if waiting else "")
    if allocation.city_document_no:
        section.status += f"；市政府批复 {allocation.city_document_no}"
    if may_open(user, "awards:allocation", allocation.year):
        section.link = link(user, "awards:allocation", f"打开{allocation.year}年度分配表", allocation.year)
    lines = (
        rows_for(user, AllocationLine)
        .filter(allocation=allocation)
        .order_by("group", "directory_order", "pk")
        .values_list("entity__name", "final_amount", "disqualified", "disbursed_on")
    )
    # Money is "待拨付" only once the 市政府 has approved it; before that it is a proposal (拟分配).
    approved = allocation.status in (AllocationStatus.CITY_APPROVED, AllocationStatus.DISBURSED)
    pending = "待拨付" if approved else "拟分配（未批复）"
    section.headers[2] = f"{pending}（万元）"
    for name, amount, disqualified, disbursed_on in lines:
        if disqualified:
            section.rows.append([name, 0, 0, amount])
        elif disbursed_on is not None:
            section.rows.append([name, amount, 0, 0])
        else:
            section.rows.append([name, 0, amount, 0])
    totals = [sum(row[i] for row in section.rows) for i in (1, 2, 3)]
    section.notes.append(
        f"合计：已拨付 {totals[0]} 万元，{pending} {totals[1]} 万元，取消资格 {totals[2]} 万元。"
    )
    section.chart = {
        "kind": "hbar",
        "stack": True,
        "unit": "万元",
        "categories": [row[0] for row in section.rows],
        "series": [
            {"name": label, "data": [row[i] for row in section.rows]}
            for i, label in ((1, "已拨付"), (2, pending), (3, "取消资格"))
            if totals[i - 1]
        ],
    }
    return section
