"""The generated papers, built the way the platform issues them, for the PDF tests and ``make papers``.

Each builder runs the workflow a paper comes out of (the demo award year approved and revised, an investment
year assessed and published) on the test database and returns the paper's bytes. ``PAPERS`` lists them for the
picture gallery (``gallery.py``): adding a paper is one line there.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from orgs.models import Organization, OrganizationKind
from orgs.roles import Role
from tests.factories import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
#: the papers are issued on this day (after the demo award year 2020 and the investment year 2020)
ISSUED_AT = datetime(2031, 3, 2, 9, 30, tzinfo=BEIJING)


@contextmanager
def issued_at(moment: datetime = ISSUED_AT):
    """Beijing's "now" and "today" at ``moment`` (an explicit value is converted as usual)."""
    from django.utils import timezone

    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return moment.date() if value is None else real_localdate(value, timezone)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", localdate)
        patch.setattr("django.utils.timezone.now", lambda: moment)
        yield


def persona(name: str):
    return get_user_model().objects.get(username=name)


# --- the 分配方案 notice ------------------------------------------------------------------------------------


def _approve(allocation):
    from awards import services

    clerk, approver, office = persona("fgw_clerk"), persona("fgw_approver"), persona("city_office")
    current = services.allocation_submit(allocation=allocation, by=clerk, version=allocation.version)
    current = services.allocation_approve(allocation=current, by=approver, version=current.version)
    return services.allocation_record_city_approval(
        allocation=current,
        by=office,
        document_no=f"双政函〔2031〕{current.revision + 7}号",
        document_date=ISSUED_AT.date(),
        version=current.version,
    )


def demo_year_approved():
    """The demo award year (``awards.demo``) computed, approved, 批复 recorded: its notice issued."""
    from awards import demo
    from awards.models import Allocation

    demo.load()
    return _approve(Allocation.objects.get(year=demo.DEMO_YEAR, revision=1))


def notice_first() -> bytes:
    from awards import notice

    return notice.notice(demo_year_approved())


def notice_revised() -> bytes:
    """The demo year revised after its first notice went out: the second notice replaces the first."""
    from awards import notice, services

    first = demo_year_approved()
    revised = services.allocation_revise(allocation=first, by=persona("fgw_clerk"), reason="更正统计数据")
    return notice.notice(_approve(revised))


# --- the investment 通报 ---------------------------------------------------------------------------------


def _submit(organization: Organization, year: int, *, late: bool = False):
    from investment import services
    from tests.investment.factories import evaluation, evaluation_evidence

    reporter = make_user(Role.REPORTER, organization, username=f"paper-{organization.pk}")
    ev = evaluation(organization, year)
    ev.report = "本年度招商引资目标完成情况良好。"
    ev.save()
    evaluation_evidence(ev, reporter)
    when = datetime(year, 12, 28 if late else 20, 10, tzinfo=BEIJING)
    return services.evaluation_submit(evaluation=ev, by=reporter, now=when)


def _review(ev, by):
    from investment import services

    if ev.organization.kind == OrganizationKind.COUNTY:
        for review in ev.reviews.all():
            services.review_record(review=review, accept=True, by=by)
    else:
        services.evaluation_set_kpb(
            evaluation=ev,
            score=Decimal("90") - ev.organization.pk % 10,
            result="良好",
            document_number=f"双考评〔{ev.year + 1}〕1号",
            document_date=date(ev.year + 1, 1, 5),
            by=by,
        )
    services.evaluation_complete_review(evaluation=ev, by=by)


def publish_year(
    submitting: list[str] | None, *, late: tuple[str, ...] = (), spot_checked: dict[str, bool] | None = None
):
    """Publish the 2020 investment year with the units named in ``submitting`` (all units when ``None``) having
    submitted and been reviewed, ``late`` ones after the deadline, and ``spot_checked`` units checked
    (value: falsified evidence found)."""
    from investment import selectors, services
    from investment.models import SpotCheck

    assessor = persona("assessor")
    units = [s.organization for s in selectors.year_scores(2020)]
    chosen = units if submitting is None else [u for u in units if u.name in submitting]
    for organization in chosen:
        _review(_submit(organization, 2020, late=organization.name in late), assessor)
    for name, falsified in (spot_checked or {}).items():
        unit = Organization.objects.get(name=name)
        services.spot_check_record(
            spot_check=SpotCheck(
                year=2020,
                organization=unit,
                checked_on=date(2021, 1, 8),
                findings="抽查项目合同和到位资金凭证。",
                falsified=falsified,
                supplier=unit if falsified else None,
            ),
            by=assessor,
        )
    missing = selectors.never_submitted(selectors.year_scores(2020))
    return services.publication_publish(year=2020, by=assessor, confirmed_unsubmitted=[o.pk for o in missing])


def bulletin() -> bytes:
    """The 2020 通报 with every unit submitted, one late and one spot check."""
    from investment import notice

    return notice.notice(publish_year(None, late=("集贤县",), spot_checked={"宝清县": False}))


def allocation_workbook() -> bytes:
    """The 分配表 workbook of the demo year (2020): projects, scores with their derivations, a draft allocation."""
    from awards import demo
    from awards.exports import AllocationExport
    from awards.models import Allocation

    demo.load()
    return AllocationExport(Allocation.objects.filter(year=demo.DEMO_YEAR).latest("pk")).content()


def target_tables() -> bytes:
    """The investment 分解表 of 2020 (双政办发〔2020〕16号, as the gazette loader stores it)."""
    from investment.exports import TargetTablesExport
    from investment.models import TargetSet

    return TargetTablesExport(TargetSet.objects.get(year=2020)).content()


# --- the gallery -----------------------------------------------------------------------------------------

#: (file name under docs/papers, builder, suffix): one line a paper.
PAPERS: list[tuple[str, Callable[[], bytes], str]] = [
    ("notice-first", notice_first, ".docx"),
    ("notice-revised", notice_revised, ".docx"),
    ("bulletin", bulletin, ".docx"),
    ("allocation-workbook", allocation_workbook, ".xlsx"),
    ("target-tables", target_tables, ".xlsx"),
]


def build(builder: Callable[[], bytes]) -> bytes:
    """``builder``'s paper, built in a transaction that is rolled back: the database is left as it was."""
    with issued_at(), transaction.atomic():
        data = builder()
        transaction.set_rollback(True)
    return data
