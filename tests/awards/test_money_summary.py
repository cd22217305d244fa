"""Money across revisions, as the people who pay it read it (awards spec, "Integrity of the money").

One summary per unit and year — 批复 (the latest revision approved by 市政府), 已拨付 (every payment of every
revision), 已收回, 待拨付, 待收回 — and the home card, the allocation page, its export and the notifications all
show it; every 合计 is the sum of its rows.

The year: 第一版 gives 宝清县 192 and 市工业和信息化局 10 万元 and is paid in full; 第二版 lowers 宝清县 by 42
and raises 市工业和信息化局 by 5; once 市政府 approves it, 市财政局 pays the 5 (补拨) and records the 42 (收回).
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from awards import exports, selectors, services
from awards.models import Allocation, AllocationStatus, Clawback, ClawbackStatus
from awards.models.allocation import CITY_APPROVAL_BEFORE_APPROVAL
from orgs import overview
from orgs.models import Notification
from orgs.todo import items_for

from .factories import entity, seen, workflow_year

YEAR = 2030
DAY = datetime.date(2031, 3, 1)
TODAY = datetime.date(2031, 12, 31)  # the awards tests' today (tests/awards/conftest.py)
BAOQING, GONGXIN, ZHUJIAN = "宝清县", "市工业和信息化局", "市住房城乡建设局"
FIRST = {BAOQING: 192, GONGXIN: 10, ZHUJIAN: 20}
SECOND = {BAOQING: 150, GONGXIN: 15}

pytestmark = pytest.mark.django_db


# --- the year, step by step through the services ------------------------------------------------------------


def _fresh(allocation) -> Allocation:
    return Allocation.objects.get(pk=allocation.pk)


def _set_amounts(allocation, amounts: dict, personas) -> Allocation:
    for name, amount in amounts.items():
        line = allocation.lines.get(entity=entity(name))
        services.line_adjust(
            line=line, by=personas.fgw_clerk, amount=amount, reason="按复核结果", version=seen(line)
        )
    return _fresh(allocation)


def _submit_and_approve(allocation, personas) -> Allocation:
    current = services.allocation_submit(
        allocation=allocation, by=personas.fgw_clerk, version=seen(allocation)
    )
    return services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))


def _city(allocation, personas, number: int) -> Allocation:
    return services.allocation_record_city_approval(
        allocation=allocation,
        by=personas.city_office,
        document_no=f"双政函〔2031〕{number}号",
        document_date=DAY,
        version=seen(allocation),
    )


def _pay_everyone(allocation, personas) -> None:
    for line in services.payable_lines(_fresh(allocation)):
        services.line_disburse(line=line, by=personas.finance, paid_on=DAY, voucher_no=f"PZ-{line.pk}")


def _first_revision_paid(personas) -> Allocation:
    draft = _set_amounts(workflow_year(YEAR, by=personas.fgw_clerk), FIRST, personas)
    first = _city(_submit_and_approve(draft, personas), personas, 1)
    _pay_everyone(first, personas)
    return _fresh(first)


def _second_revision(first, personas) -> Allocation:
    """第二版: 宝清县 42 less, 市工业和信息化局 5 more, as a draft."""
    revised = services.allocation_revise(allocation=first, by=personas.fgw_clerk, reason="审计复核更正")
    return _set_amounts(revised, SECOND, personas)


def _recover_everything(personas) -> None:
    for clawback in Clawback.objects.filter(status=ClawbackStatus.PENDING):
        services.clawback_recover(clawback=clawback, by=personas.finance, recovered_on=DAY, voucher_no="SH-1")


# --- how each place shows a unit's money -------------------------------------------------------------------

COLUMNS = ("approved", "paid", "recovered", "to_pay", "to_recover")


def _figures(row) -> tuple:
    return tuple(getattr(row, name) for name in COLUMNS)


def _sum_rows(rows: list[tuple]) -> tuple:
    return tuple(sum((row[i] for row in rows), Decimal(0)) for i in range(len(COLUMNS)))


def _home_card(user) -> tuple[dict, str]:
    section = next(s for s in overview.sections_for(user, TODAY) if s.key == "awards")
    return {row[0]: tuple(row[1:]) for row in section.rows}, " ".join(section.notes)


def _page(client, user):
    client.force_login(user)
    response = client.get(f"/awards/{YEAR}/")
    assert response.status_code == 200
    return response


def _page_rows(response) -> dict:
    lines = response.context["group1"] + response.context["group2"]
    return {line.entity.name: _figures(line.balance) for line in lines}


def _export_rows(client, user) -> tuple[tuple, dict]:
    client.force_login(user)
    book = load_workbook(io.BytesIO(client.get(f"/awards/{YEAR}/export/").content))
    rows = list(book[exports.MONEY_SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == exports.MONEY_HEADER and rows[1][1] == "合计"
    return tuple(Decimal(v) for v in rows[1][2:]), {r[1]: tuple(Decimal(v) for v in r[2:]) for r in rows[2:]}


def _card_note(totals: tuple) -> str:
    labels = ("批复", "已拨付", "已收回", "待拨付", "待收回")
    return "合计：" + "，".join(f"{label} {value} 万元" for label, value in zip(labels, totals, strict=True))


def _notices(user, event: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, event=event).order_by("pk").values_list("text", flat=True)
    )


# --- the whole year ------------------------------------------------------------------------------------------


def test_a_year_through_a_revision_shows_the_same_money_everywhere(client, personas):
    first = _first_revision_paid(personas)
    second = _city(_submit_and_approve(_second_revision(first, personas), personas), personas, 2)

    at_approval = selectors.money_summary(YEAR)
    # 宝清县 holds 192 of 150 approved: 42 to recover; 市工业和信息化局 holds 10 of 15: 5 to pay (补拨)
    assert _figures(at_approval.row(entity(BAOQING).pk)) == (150, 192, 0, 0, 42)
    assert _figures(at_approval.row(entity(GONGXIN).pk)) == (15, 10, 0, 5, 0)
    city_notice = _notices(personas.finance, "awards.city_approved")[-1]
    total = at_approval.total
    assert (
        f"批复 {total.approved} 万元，已拨付 {total.paid} 万元，已收回 {total.recovered} 万元，"
        f"待拨付 {total.to_pay} 万元，待收回 {total.to_recover} 万元" in city_notice
    )
    assert (
        "奖励资金 150 万元；已拨付 192 万元，已收回 0 万元，待拨付 0 万元，应退回 42 万元"
        in (_notices(personas.reporter, "awards.result")[-1])
    )
    assert "应退回已拨付的奖励资金 42 万元" in _notices(personas.reporter, "awards.recovery_due")[-1]

    _pay_everyone(second, personas)  # the 补拨 of 5
    _recover_everything(personas)  # the 收回 of 42

    summary = selectors.money_summary(YEAR)
    rows = {row.name: _figures(row) for row in summary.rows}
    assert rows[BAOQING] == (150, 192, 42, 0, 0)
    assert rows[GONGXIN] == (15, 15, 0, 0, 0)
    assert rows[ZHUJIAN] == (20, 20, 0, 0, 0)
    assert _figures(summary.total) == _sum_rows(list(rows.values()))
    assert all(row.settles for row in summary.rows)  # 批复 = 已拨付 − 已收回 + 待拨付 − 待收回, row by row
    assert _fresh(second).status == AllocationStatus.DISBURSED

    for user in (personas.finance, personas.leader, personas.fgw_approver):
        card, note = _home_card(user)
        assert card == rows
        assert _card_note(_figures(summary.total)) in note
        assert _card_note(_sum_rows(list(card.values()))) in note

    response = _page(client, personas.finance)
    assert _page_rows(response) == rows
    page_totals = [response.context[name] for name in ("total", "total1", "total2")]
    assert [_figures(t) for t in page_totals][0] == _figures(summary.total)
    assert _sum_rows([_figures(t) for t in page_totals[1:]]) == _figures(page_totals[0])
    for totals, group in ((page_totals[1], "group1"), (page_totals[2], "group2")):
        assert _figures(totals) == _sum_rows([_figures(x.balance) for x in response.context[group]])
    html = response.content.decode()
    assert '<th scope="col" class="text-end">已收回（万元）</th>' in html
    grand_total = re.search(r'<tr class="fw-bold" id="grand-total">.*?</tr>', html, re.S).group()
    assert f'class="text-end recovered">{summary.total.recovered}<' in grand_total

    export_total, export_rows = _export_rows(client, personas.finance)
    assert export_rows == rows
    assert export_total == _figures(summary.total) == _sum_rows(list(export_rows.values()))

    recovered = _notices(personas.reporter, "awards.recovered")[-1]
    assert "已登记收回宝清县奖励资金 42 万元" in recovered
    assert "该年度已拨付 192 万元，已收回 42 万元，待收回 0 万元" in recovered


# --- one test per defect, through the path it was found on ------------------------------------------------------


def test_the_home_card_counts_the_payments_of_every_revision(client, personas):
    """After a revision the card said "已拨付 0 万元": it counted only the current revision's payments."""
    first = _first_revision_paid(personas)
    _city(_submit_and_approve(_second_revision(first, personas), personas), personas, 2)

    client.force_login(personas.leader)
    home = client.get("/").content.decode()
    assert "合计：批复 185 万元，已拨付 222 万元，已收回 0 万元，待拨付 5 万元，待收回 42 万元。" in home


def test_the_allocation_table_shows_what_was_recovered_and_its_totals_add_up(client, personas):
    """After 宝清县's recovery the table read 批复 150 / 已拨付 192 / 待收回 0, and 合计 did not add up."""
    first = _first_revision_paid(personas)
    second = _city(_submit_and_approve(_second_revision(first, personas), personas), personas, 2)
    _recover_everything(personas)

    response = _page(client, personas.fgw_approver)
    rows = _page_rows(response)
    assert rows[BAOQING] == (150, 192, 42, 0, 0)
    total = response.context["total"]
    assert _figures(total) == _sum_rows(list(rows.values())) == (185, 222, 42, 5, 0)
    assert total.approved == total.paid - total.recovered + total.to_pay - total.to_recover
    assert second.revision == 2


@pytest.mark.parametrize("who", ["fgw_approver", "city_office"])
def test_a_pending_revision_shows_what_its_approval_pays_or_recovers(client, personas, who):
    """The approver of 第二版 (发改委审批, then 市政府办公室 recording the 批复) sees that it recovers 42 from 宝清县."""
    first = _first_revision_paid(personas)
    current = _second_revision(first, personas)
    current = services.allocation_submit(allocation=current, by=personas.fgw_clerk, version=seen(current))
    if who == "city_office":
        current = services.allocation_approve(
            allocation=current, by=personas.fgw_approver, version=seen(current)
        )

    response = _page(client, personas[who])
    changes = {row.name: row for row in response.context["changes"]}
    assert changes[BAOQING].effect == "将收回 42 万元"
    assert changes[GONGXIN].effect == "将补拨 5 万元"
    assert ZHUJIAN not in changes  # nothing moves for a unit whose amount did not change
    table = re.search(
        r'<table class="table table-sm" id="revision-changes".*?</table>', response.content.decode(), re.S
    )
    assert "将收回 42 万元" in table.group() and "将补拨 5 万元" in table.group()
    assert response.context["changes_total"].difference == -37


def test_the_unit_is_told_of_a_recovery_due_and_of_its_recording(personas):
    """宝清县 was told its new amount, never that it must return 42, and nothing when the return was recorded."""
    first = _first_revision_paid(personas)
    _city(_submit_and_approve(_second_revision(first, personas), personas), personas, 2)

    due = _notices(personas.reporter, "awards.recovery_due")
    assert len(due) == 1 and "宝清县第2版批复调减，应退回已拨付的奖励资金 42 万元，由市财政局收回" in due[0]
    assert _notices(personas.other_reporter, "awards.recovery_due") == []  # another county owes nothing
    assert _notices(personas.reporter, "awards.recovered") == []

    _recover_everything(personas)
    recovered = _notices(personas.reporter, "awards.recovered")
    assert len(recovered) == 1
    assert "已登记收回宝清县奖励资金 42 万元（2031-03-01，凭证号 SH-1）" in recovered[0]


def test_city_approval_refuses_a_date_before_the_approval_it_records(client, personas):
    """批复 accepted a date before the 发改委 approval it answers: the form says so next to the date."""
    approved = _submit_and_approve(workflow_year(YEAR, by=personas.fgw_clerk), personas)
    approved_on = timezone.localdate(approved.approved_at)
    client.force_login(personas.city_office)
    response = client.post(
        f"/awards/{YEAR}/city-approval/",
        {
            "document_no": "双政函〔2031〕1号",
            "document_date": (approved_on - datetime.timedelta(days=1)).isoformat(),
            "version": seen(approved),
        },
    )
    message = CITY_APPROVAL_BEFORE_APPROVAL.format(approved=approved_on)
    assert response.context["city_form"].errors["document_date"] == [message]
    city_form = re.search(r'<form[^>]*id="city-form".*?</form>', response.content.decode(), re.S).group()
    assert message in city_form
    assert _fresh(approved).status == AllocationStatus.APPROVED and not _fresh(approved).city_document_no


def test_the_allocation_model_refuses_a_city_approval_dated_before_its_approval(personas):
    approved = _submit_and_approve(workflow_year(YEAR, by=personas.fgw_clerk), personas)
    approved.city_document_date = timezone.localdate(approved.approved_at) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        approved.clean()
    assert "city_document_date" in refused.value.message_dict
    approved.city_document_date = timezone.localdate(approved.approved_at)
    approved.clean()  # the day of the approval itself is fine


def test_an_archived_year_is_not_money_still_to_pay(client, personas):
    """The archived 2019 year showed in 市财政局's 待办 as 160 万元 still to pay to 饶河县."""
    assert not [item for item in items_for(personas.finance) if item.text.startswith("2019年度")]
    summary = selectors.money_summary(2019)
    assert summary.archived and summary.total.approved > 0
    assert summary.total.to_pay == 0
    response = _page_2019(client, personas.finance)
    assert 'class="pay-link"' not in response.content.decode()
    assert 'id="archived-money"' in response.content.decode()


def _page_2019(client, user):
    client.force_login(user)
    return client.get("/awards/2019/")


def test_allocation_page_queries_stay_bounded_across_revisions(client, personas):
    """The money of every revision is read in five queries, however many revisions and payments there are."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/awards/{YEAR}/").status_code == 200
        return len(captured)

    first = _first_revision_paid(personas)
    client.force_login(personas.finance)
    one_revision = queries()
    _city(_submit_and_approve(_second_revision(first, personas), personas), personas, 2)
    _recover_everything(personas)
    # Queries (市财政局): session, user, second factor, groups (roles); the latest allocation; its lock status;
    # the verified facts ×2 (the differences with the 入统 figures, the 待核实/已核实 counts); its lines with their
    # entity (both groups at once); the money ×5 (latest revision, the revision approved by 市政府, its amounts,
    # payments, clawbacks); the scheme (pool warning); unread notifications; the two users named in the
    # workflow box (submitter, approver). The same with one revision or two.
    assert queries() == one_revision == 18
