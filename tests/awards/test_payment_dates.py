"""A payment is dated within 2000–2100, not before its revision's 批复 and not after Beijing's today."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import AllocationLine
from awards.models.allocation import PAID_BEFORE_APPROVAL, PAID_IN_THE_FUTURE

from .factories import city_approved_year, entity

pytestmark = pytest.mark.django_db
APPROVED = datetime.date(2031, 1, 10)
TODAY = datetime.date(2031, 3, 1)


@pytest.fixture
def payable_line(personas, today):
    today(TODAY)
    return city_approved_year(personas, approved_on=APPROVED).lines.get(entity=entity("宝清县"))


def _pay(client, line, day):
    return client.post(f"/awards/lines/{line.pk}/disburse/", {"paid_on": day, "voucher_no": "PZ-1"})


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("1900-01-01", "日期须在 2000 年至 2100 年之间"),
        ("2999-01-01", "日期须在 2000 年至 2100 年之间"),
        ("2031-01-09", PAID_BEFORE_APPROVAL.format(approved=APPROVED)),
        ("2031-03-02", PAID_IN_THE_FUTURE.format(today=TODAY)),
    ],
    ids=["1900", "2999", "before-approval", "tomorrow"],
)
def test_the_pay_form_refuses_a_date_outside_the_payment_window_and_pays_nothing(
    client, personas, payable_line, day, message
):
    client.force_login(personas.finance)
    response = _pay(client, payable_line, day)
    assert message in response.content.decode()
    payable_line.refresh_from_db()
    assert (payable_line.disbursed_on, payable_line.voucher_no) == (None, "")


@pytest.mark.parametrize("day", [APPROVED, TODAY], ids=["approval-day", "today"])
def test_a_payment_on_the_approval_day_or_today_is_recorded(client, personas, payable_line, day):
    client.force_login(personas.finance)
    _pay(client, payable_line, day.isoformat())
    payable_line.refresh_from_db()
    assert payable_line.disbursed_on == day


def test_the_service_refuses_a_future_payment_whatever_called_it(personas, payable_line):
    with pytest.raises(ValidationError) as refused:
        services.line_disburse(
            line=payable_line, by=personas.finance, paid_on=datetime.date(2031, 3, 2), voucher_no="PZ-1"
        )
    assert refused.value.message_dict["paid_on"] == [PAID_IN_THE_FUTURE.format(today=TODAY)]
    assert AllocationLine.objects.get(pk=payable_line.pk).disbursed_on is None


def test_the_line_model_refuses_a_payment_before_the_approval(payable_line):
    payable_line.disbursed_on = datetime.date(2031, 1, 9)
    with pytest.raises(ValidationError) as refused:
        payable_line.full_clean()
    assert refused.value.message_dict["disbursed_on"] == [PAID_BEFORE_APPROVAL.format(approved=APPROVED)]


def test_the_date_rules_judge_against_the_today_they_are_given():
    """The rules take their "today" from the caller (a check of a past day reads no clock)."""
    from awards.models.allocation import city_approval_date_problem, payment_date_problem

    day = datetime.date(2031, 3, 4)
    approved_at = datetime.datetime(2031, 3, 1, 10, tzinfo=datetime.UTC)
    assert payment_date_problem(day, datetime.date(2031, 3, 2), today=day) == ""
    assert payment_date_problem(day, datetime.date(2031, 3, 2), today=day - datetime.timedelta(days=1)) == (
        PAID_IN_THE_FUTURE.format(today=day - datetime.timedelta(days=1))
    )
    assert city_approval_date_problem(day, approved_at, today=day) == ""
    assert city_approval_date_problem(day, approved_at, today=datetime.date(2031, 3, 3)) != ""
