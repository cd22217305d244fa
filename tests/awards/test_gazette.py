"""load_gazette loads the published 2019 table as the archived 2019 allocation, idempotently."""

from decimal import Decimal as D

from django.core.management import call_command

from awards import gazette as awards_gazette
from awards.models import Allocation, AllocationLine, AllocationStatus


def test_2019_archive_has_the_published_rows_status_and_source(gazette):
    allocation = Allocation.objects.get(year=2019)
    assert (allocation.status, allocation.source, allocation.rate) == (
        AllocationStatus.CITY_APPROVED,
        "双政办发〔2020〕15号",
        D("4.56"),
    )
    lines = allocation.lines.select_related("entity")
    assert lines.filter(group=1).count() == 9 and lines.filter(group=2).count() == 15
    baoqing = lines.get(entity__name="宝清县")
    assert (baoqing.raw_score, baoqing.converted_score, baoqing.final_amount) == (D("296.79"), 113, 515)
    assert sum(line.final_amount for line in lines) == 1875


def test_2019_archive_keeps_the_published_amount_and_the_computed_one(gazette):
    youyi = AllocationLine.objects.get(allocation__year=2019, entity__name="友谊县")
    assert (youyi.computed_amount, youyi.final_amount) == (82, 83)
    assert "双政办发〔2020〕15号" in youyi.adjustment_reason
    adjusted = AllocationLine.objects.filter(allocation__year=2019).exclude(adjustment_reason="")
    assert list(adjusted.values_list("entity__name", flat=True)) == ["友谊县"]


def test_2019_group_2_tiers_are_stored_in_published_order(gazette):
    lines = AllocationLine.objects.filter(allocation__year=2019, group=2).order_by("rank")
    assert [(x.rank, x.tier, x.final_amount) for x in lines][:4] == [
        (1, "一等奖", 20),
        (2, "一等奖", 20),
        (3, "一等奖", 20),
        (4, "二等奖", 10),
    ]


def test_loading_the_gazette_twice_changes_nothing(gazette):
    before = list(AllocationLine.objects.order_by("pk").values_list("pk", "final_amount"))
    call_command("load_gazette", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert gazette_load_result() == {"scheme_2019_created": 0, "allocation_2019_created": 0}
    assert Allocation.objects.filter(year=2019).count() == 1
    assert list(AllocationLine.objects.order_by("pk").values_list("pk", "final_amount")) == before


def gazette_load_result():
    return awards_gazette.load()
