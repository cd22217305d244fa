"""bench_payable: award years carried through the pages' services up to the 市政府批复, lines left to pay."""

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from awards.models import Allocation, AllocationLine
from awards.workflow import S


def test_bench_payable_leaves_each_year_approved_with_lines_to_pay(gazette, tmp_path, today, monkeypatch):
    moment = datetime(2021, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))  # the years are over; all happens now
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    today(moment.date())
    codes = tmp_path / "codes.json"
    codes.write_text("{}", encoding="utf-8")

    call_command(
        "bench_payable",
        "--years",
        "2016-2017",
        "--second-factor-codes",
        str(codes),
        "--codes",
        "3",
        stdout=io.StringIO(),
    )

    allocations = Allocation.objects.filter(year__in=[2016, 2017])
    assert {a.status for a in allocations} == {S.CITY_APPROVED}
    to_pay = AllocationLine.objects.filter(allocation__in=allocations, final_amount__gt=0, disbursed_on=None)
    assert to_pay.count() >= 2
    assert len(json.loads(codes.read_text(encoding="utf-8"))["bench_finance"]) == 3


def test_bench_payable_refuses_a_year_not_yet_over(gazette, today):
    today(date(2020, 12, 31))
    with pytest.raises(CommandError):
        call_command("bench_payable", "--years", "2019-2020")
