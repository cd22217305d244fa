"""Where the year stands in the four systems, for the home page; each app contributes its section
(``<app>/overview.py``, ``@discovery.overview``), this module holds what they share.

发改委审批, 市政府办公室 and 领导 see all four for the whole city: award money by unit
and status, investment completion by county, open and overdue ledger entries by unit, sprout cases by
month. Other roles see the systems they work in, limited to the rows ``orgs.access.visible`` gives them.

Each section is a small table plus the same figures as a chart specification, which the page hands to
``static/js/charts.js`` through ``json_script`` (no inline script: the CSP allows scripts from the site only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.urls import reverse

from . import discovery
from .access import visible
from .menu import may_open
from .roles import Role, has_role, roles_of

#: Roles whose home shows the whole city's overview of the four systems.
OVERVIEW_ROLES = (Role.FGW_APPROVER, Role.CITY_OFFICE, Role.LEADER)

#: How long an overview is kept: the whole city's aggregates every unit's rows of four systems and is the home
#: page of every 发改委审批, 市政府办公室 and 领导 account; a unit's own reads all of that unit's rows (a
#: county's ledger, its cases). The home page says so; its 待办 list is always read afresh.
OVERVIEW_SECONDS = 60


@dataclass
class Section:
    key: str
    title: str
    summary: str  # one line: where the year stands
    headers: list[str]
    rows: list[list]
    chart: dict
    link: tuple[str, str] | None = None  # (url, label) of the system's page, when the user may open it
    empty: str = "暂无数据。"
    notes: list[str] = field(default_factory=list)


def sees_overview(user) -> bool:
    return has_role(user, *OVERVIEW_ROLES)


def shows(user, section_roles) -> bool:
    """The whole-city readers see every section; ``section_roles`` see the app's own (its ``SECTION_ROLES``)."""
    return sees_overview(user) or has_role(user, *section_roles)


def rows_for(user, model):
    """The whole city for the overview roles; otherwise the rows the scoping module gives the user."""
    return model._default_manager.all() if sees_overview(user) else visible(user, model)


def link(user, url_name: str, label: str, *args):
    return (reverse(url_name, args=args), label) if may_open(user, url_name, *args) else None


def sections_for(user, today: date) -> list[Section]:
    """The user's sections, kept for ``OVERVIEW_SECONDS``: the whole city's once for every account of the same
    roles, a unit's own once for each account (its rows are those ``orgs.access.visible`` gives that account)."""
    holder = ",".join(sorted(roles_of(user))) if sees_overview(user) else f"user-{user.pk}"
    key = f"orgs.overview:{today.isoformat()}:{holder}"
    return cache.get_or_set(key, lambda: _build(user, today), OVERVIEW_SECONDS)


def _build(user, today: date) -> list[Section]:
    built = (section(user, today) for _app, section in discovery.found("overview"))
    return [section for section in built if section is not None]
