from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import Allocation, AllocationStatus, Category, Project, SchemeParameters, Verification
from orgs.models import Organization

from .factories import ProjectFactory, TargetFactory, entity

pytestmark = pytest.mark.django_db


def test_year_is_unlocked_without_allocation_or_while_draft(gazette):
    assert services.year_is_locked(2030) is False
    ProjectFactory()
    services.allocation_compute(year=2030)
    assert services.year_is_locked(2030) is False


def test_year_is_locked_once_the_allocation_leaves_draft(gazette):
    ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    Allocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.SUBMITTED)
    assert services.year_is_locked(2030) is True
    with pytest.raises(ValidationError) as info:
        services.project_save(
            project=Project(
                year=2030, name="新", category=Category.PROV, entity=entity("宝清县"), planned_investment=D(1)
            )
        )
    assert info.value.messages == [services.locked_message(2030)]
    with pytest.raises(ValidationError):
        services.allocation_compute(year=2030)


def test_project_save_refuses_completed_without_start(gazette):
    project = Project(
        year=2030,
        name="甲",
        category=Category.PROV,
        entity=entity("宝清县"),
        planned_investment=D(1),
        completed=True,
    )
    with pytest.raises(ValidationError) as info:
        services.project_save(project=project)
    assert "completed" in info.value.error_dict
    assert not Project.objects.exists()


def test_project_save_refuses_an_entity_outside_the_award_groups(gazette):
    project = Project(
        year=2030, name="甲", category=Category.PROV, entity=entity("市财政局"), planned_investment=D(1)
    )
    with pytest.raises(ValidationError):
        services.project_save(project=project)


def test_allocation_compute_scores_both_groups(gazette):
    ProjectFactory(entity=entity("宝清县"), planned_investment=D(20000), actual_investment=D(10000))
    ProjectFactory(entity=entity("集贤县"), planned_investment=D(10000), actual_investment=D(10000))
    ProjectFactory(
        entity=entity("市住房城乡建设局"),
        category=Category.CITY,
        planned_investment=D(2000),
        actual_investment=D(1000),
    )
    TargetFactory(entity=entity("宝清县"))
    allocation = services.allocation_compute(year=2030)
    lines = {line.entity.name: line for line in allocation.lines.select_related("entity")}
    assert set(lines) == {"宝清县", "集贤县", "市住房城乡建设局"}
    baoqing = lines["宝清县"]
    # PROV: 1.5 + 10 + 3 + 5 = 19.5; IND: everything 0 (no IND projects) → converted 0.5 × 19.5 = 9.75 → 10
    assert baoqing.score_prov == D("19.50")
    assert baoqing.converted_score == 10
    assert baoqing.computed_amount == baoqing.final_amount == 46
    assert lines["市住房城乡建设局"].tier == "一等奖"
    assert lines["市住房城乡建设局"].final_amount == 20
    assert (
        "开复工 1 个 × 1.5 = 1.5（上限 15）"
        in baoqing.details["categories"]["PROV"]["indicators"][0]["derivation"]
    )


def test_allocation_compute_uses_the_year_parameters_and_rate_override(gazette):
    ProjectFactory(planned_investment=D(20000), actual_investment=D(10000))
    SchemeParameters.objects.create(year=2030, rate=D("10"))
    assert services.allocation_compute(year=2030).lines.get().final_amount == 100
    allocation = services.allocation_compute(year=2030, rate=D("2"))
    assert allocation.lines.get().final_amount == 20
    assert allocation.parameters["rate"] == "2"


def test_recompute_keeps_one_draft_and_its_adjustments(gazette):
    ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    allocation.lines.update(final_amount=99, adjustment_reason="市政府批复调整")
    again = services.allocation_compute(year=2030)
    assert again.pk == allocation.pk
    assert Allocation.objects.filter(year=2030).count() == 1
    line = again.lines.get()
    assert (line.final_amount, line.adjustment_reason) == (99, "市政府批复调整")
    assert line.computed_amount != 99


def make_projects(count: int, year: int = 2030) -> None:
    orgs = list(Organization.objects.filter(award_group__isnull=False))
    Project.objects.bulk_create(
        Project(
            year=year,
            name=f"项目{i}",
            category=[Category.PROV, Category.CITY, Category.IND][i % 3],
            entity=orgs[i % len(orgs)],
            planned_investment=D(1000 + i),
            actual_investment=D(i % 700),
            started=i % 5 != 0,
            completed=i % 7 == 0,
            total_investment=D(5000),
            verification=Verification.VERIFIED,
            in_statistics=True,
            statistics_investment=D(i % 700),
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [60, 1200])
def test_scoring_a_year_takes_a_bounded_number_of_queries(gazette, count, django_assert_max_num_queries):
    make_projects(count)
    # First computation — lock check, latest allocation, scheme, entities, projects, targets, allocation
    # insert + its history, bulk insert of lines + their history, the log row, the audit records of the history
    # row and the log row (plus savepoints): independent of `count`. The inputs' fingerprint is taken from the
    # same reads.
    with django_assert_max_num_queries(17):
        services.allocation_compute(year=2030)
    # Recomputation — the same reads, the conditional claim of the draft (UPDATE … WHERE status = draft, its
    # re-read and its history row: every step leaves one), existing lines, allocation update + history, bulk
    # update + history, the log row.
    with django_assert_max_num_queries(20):
        allocation = services.allocation_compute(year=2030)
    assert allocation.lines.count() == Organization.objects.filter(award_group__isnull=False).count()


def test_what_if_changes_amounts_without_saving(gazette):
    ProjectFactory(planned_investment=D(20000), actual_investment=D(10000))
    allocation = services.allocation_compute(year=2030)
    result = services.what_if(allocation, rate=D("10"), tiers=())
    assert result.lines[0].amount == 100
    assert allocation.lines.get().final_amount == 46


def test_rate_helper_is_pool_over_group_1_converted_total(gazette):
    ProjectFactory(planned_investment=D(20000), actual_investment=D(10000))
    allocation = services.allocation_compute(year=2030)
    params = SchemeParameters(year=2030, provincial_total=D("100"))
    assert services.rate_helper(params, allocation) == D("6.00")  # 60 / 10


def test_scheme_save_refuses_a_locked_year(gazette):
    ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    Allocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.APPROVED)
    with pytest.raises(ValidationError):
        services.scheme_save(params=SchemeParameters(year=2030))


def test_gazette_loads_the_2019_scheme_idempotently(gazette):
    from awards import gazette as awards_gazette

    assert SchemeParameters.objects.filter(year=2019).count() == 1
    assert awards_gazette.load() == {"scheme_2019_created": 0, "allocation_2019_created": 0}
    params = SchemeParameters.objects.get(year=2019)
    assert params.rate == D("4.56")
    assert params.tiers[0] == {"name": "一等奖", "places": 3, "amount": 20}


def test_demo_data_is_marked_and_idempotent(gazette):
    from awards import demo

    assert demo.load()["demo_projects"] == len(demo.DEMO_PROJECTS)
    assert demo.load() == {"demo_projects": 0}
    assert all(name.startswith("【演示】") for name in Project.objects.values_list("name", flat=True))
    assert Allocation.objects.filter(year=demo.DEMO_YEAR).count() == 1


def test_disqualified_entity_keeps_its_flag_and_gets_nothing_on_recompute(gazette):
    ProjectFactory(planned_investment=D(20000), actual_investment=D(10000))
    allocation = services.allocation_compute(year=2030)
    allocation.lines.update(disqualified=True)
    line = services.allocation_compute(year=2030).lines.get()
    assert line.disqualified is True
    assert (line.computed_amount, line.final_amount, line.rank) == (0, 0, None)


def test_a_project_cannot_be_moved_out_of_a_locked_year(gazette):
    project = ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    Allocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.APPROVED)
    project.year = 2031
    with pytest.raises(ValidationError):
        services.project_save(project=project)
    assert Project.objects.get().year == 2030
