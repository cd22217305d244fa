"""The investment section of the home page's overview: each county's completion of its targets."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from orgs import discovery
from orgs.access import user_organization
from orgs.overview import Section, link, sees_overview, shows
from orgs.roles import Role, has_role

from . import rules, selectors
from .models import Project

#: Roles that see this section on their home besides the whole-city readers, limited to the rows they may see.
SECTION_ROLES = (Role.ASSESSOR, Role.REPORTER)


@discovery.overview
def section(user, today: date) -> Section | None:
    if not shows(user, SECTION_ROLES):
        return None
    year = selectors.default_year()
    target_set = selectors.current_targets(year)
    section = Section(
        key="investment",
        title=f"招商引资考核：{year}年度指标完成情况（按项目清单计算）",
        summary=f"{year}年度任务指标尚未下达。",
        headers=["县（区）", "签约额完成率（%）", "开工率（%）", "外资完成率（%）", "内资完成率（%）"],
        rows=[],
        chart={},
        link=link(user, "investment:indicators", "打开指标完成情况"),
    )
    if target_set is None:
        return section
    section.summary = f"{year}年度任务指标已下达（第{target_set.version}版）。"
    targets = selectors.county_rows(target_set)
    if not (sees_overview(user) or has_role(user, Role.ASSESSOR)):
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
