"""The awards section of the home page's overview: the latest year's money by unit across its revisions
(``selectors.money_card``), as the allocation page and its export show it."""

from __future__ import annotations

from datetime import date

from orgs import discovery
from orgs.menu import may_open
from orgs.overview import Section, link, rows_for, shows
from orgs.roles import Role

from .models import Allocation, AllocationLine
from .selectors import money_card

#: Roles that see this section on their home besides the whole-city readers, limited to the rows they may see.
SECTION_ROLES = (Role.FGW_CLERK, Role.FINANCE)


@discovery.overview
def section(user, today: date) -> Section | None:
    if not shows(user, SECTION_ROLES):
        return None
    allocation = rows_for(user, Allocation).latest_revisions().order_by("-year").first()
    section = Section(
        key="awards",
        title="百大项目建设奖励：奖励资金",
        summary="尚未计算任何年度的奖励资金分配。",
        headers=["单位", "已拨付（万元）", "待拨付（万元）", "取消资格（万元）"],
        rows=[],
        chart={},
        link=link(user, "awards:index", "打开百大项目奖励"),
    )
    if allocation is None:
        return section
    section.title = f"百大项目建设奖励：{allocation.year}年度奖励资金"
    waiting = allocation.waiting_for
    section.summary = f"{allocation.get_status_display()}" + (f"，等待{waiting}" if waiting else "")
    if allocation.city_document_no:
        section.summary += f"；市政府批复 {allocation.city_document_no}"
    if may_open(user, "awards:allocation", allocation.year):
        section.link = link(user, "awards:allocation", f"打开{allocation.year}年度分配表", allocation.year)
    # The year's money across its revisions, as the allocation page and its export show it.
    units = rows_for(user, AllocationLine).filter(allocation=allocation).values_list("entity_id", flat=True)
    card = money_card(allocation.year, entity_ids=set(units))
    section.headers, section.rows, section.chart = card.headers, card.rows, card.chart
    section.notes.append(card.note)
    return section
