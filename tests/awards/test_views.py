from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import rules, services
from awards.models import Allocation, AllocationStatus, Category, IndustrialTarget, Project

from .conftest import GOOD_PROJECTS, GOOD_TARGETS, workbook_bytes
from .factories import ProjectFactory, entity

pytestmark = pytest.mark.django_db


def upload(content: bytes, name="projects.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("rows", [3, 30])
def test_project_list_query_count_does_not_grow(client, personas, rows, django_assert_max_num_queries):
    ProjectFactory.create_batch(rows)
    client.force_login(personas.fgw_clerk)
    # Queries: session, user, groups (roles), capped count (table), totals aggregate, unread notifications ×2
    # (base layout), one page of projects joined with their entity. Same at 3 and 30.
    with django_assert_max_num_queries(8):
        response = client.get("/awards/projects/?year=2030")
    assert response.status_code == 200
    assert response.context["totals"]["count"] == rows


def test_project_list_opens_on_the_latest_year_and_lists_every_year_when_cleared(client, personas):
    ProjectFactory(name="往年项目", year=2029)
    ProjectFactory(name="今年项目", year=2030)
    client.force_login(personas.fgw_clerk)

    opened = client.get("/awards/projects/")
    cleared = client.get("/awards/projects/?year=")

    assert opened.context["filter"].form["year"].value() == 2030
    assert opened.context["totals"]["count"] == 1
    assert "今年项目" in opened.content.decode() and "往年项目" not in opened.content.decode()
    assert cleared.context["totals"]["count"] == 2


def test_reporter_sees_only_own_projects(client, personas):
    ProjectFactory(name="宝清的项目")
    ProjectFactory(name="集贤的项目", entity=entity("集贤县"))
    client.force_login(personas.reporter)
    content = client.get("/awards/projects/").content.decode()
    assert "宝清的项目" in content and "集贤的项目" not in content


def test_other_reporter_gets_404_for_a_foreign_project(client, personas):
    project = ProjectFactory()
    client.force_login(personas.other_reporter)
    assert client.get(f"/awards/projects/{project.pk}/").status_code == 404
    assert client.post(f"/awards/projects/{project.pk}/", {"name": "x"}).status_code == 404


def project_data(**overrides):
    data = {
        "year": 2030,
        "name": "新项目",
        "category": Category.PROV,
        "planned_investment": "1000",
        "actual_investment": "0",
    }
    data.update(overrides)
    return data


def test_reporter_creates_a_project_for_own_organization(client, personas):
    client.force_login(personas.reporter)
    response = client.post("/awards/projects/new/", project_data(started="on"))
    assert response.status_code == 302
    assert Project.objects.get().entity == entity("宝清县")


def test_form_errors_are_in_chinese_next_to_the_field(client, personas):
    client.force_login(personas.reporter)
    response = client.post("/awards/projects/new/", project_data(completed="on", planned_investment="-1"))
    form = response.context["form"]
    assert rules.COMPLETED_NOT_STARTED in form.errors["completed"]
    assert form.errors["planned_investment"]
    assert not Project.objects.exists()


def test_a_duplicate_project_name_is_refused(client, personas):
    ProjectFactory(name="新项目")
    client.force_login(personas.reporter)
    response = client.post("/awards/projects/new/", project_data())
    assert response.status_code == 200
    assert Project.objects.count() == 1


def test_locked_year_refuses_edits_with_a_message(client, personas):
    project = ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    Allocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.SUBMITTED)
    client.force_login(personas.reporter)
    response = client.post(f"/awards/projects/{project.pk}/", project_data(name=project.name, started="on"))
    assert services.locked_message(2030) in response.context["form"].non_field_errors()


def test_fgw_clerk_assigns_a_units_industrial_target(client, personas):
    """双政办发〔2020〕15号 四(三): 指标采集由市发展改革委牵头负责 — 发改委 sets the denominators."""
    client.force_login(personas.fgw_clerk)
    response = client.post(
        "/awards/targets/",
        {"year": 2030, "entity": entity("宝清县").pk, "target_count": 5, "target_amount": "300"},
    )
    assert response.status_code == 302
    assert IndustrialTarget.objects.get().entity == entity("宝清县")


def test_a_unit_cannot_set_the_targets_it_is_scored_against(client, personas):
    """15号 四(三): a 填报员 sees the targets read-only; a forged POST is refused and writes nothing."""
    client.force_login(personas.reporter)
    page = client.get("/awards/targets/").content.decode()
    assert 'id="targets-read-only"' in page and "由市发展改革委下达" in page
    response = client.post(
        "/awards/targets/",
        {"year": 2030, "entity": entity("宝清县").pk, "target_count": 2, "target_amount": "5000"},
    )
    assert response.status_code == 403
    assert not IndustrialTarget.objects.exists()


def test_upload_previews_then_confirm_writes(client, personas):
    client.force_login(personas.reporter)
    response = client.post("/awards/import/", {"year": 2030, "file": upload(workbook_bytes(GOOD_PROJECTS))})
    assert response.status_code == 200
    assert response.context["plan"].counts == {"add": 3, "change": 0, "unchanged": 0}
    assert not Project.objects.exists()
    response = client.post("/awards/import/confirm/", {"token": response.context["token"]})
    assert response.status_code == 302
    assert Project.objects.count() == 3


def test_fgw_clerk_imports_targets_for_every_unit(client, personas):
    """15号 四(三): 发改委 assigns the 产业项目目标 — through the workbook's 产业项目目标 sheet too."""
    client.force_login(personas.fgw_clerk)
    response = client.post(
        "/awards/import/", {"year": 2030, "file": upload(workbook_bytes(GOOD_PROJECTS, GOOD_TARGETS))}
    )
    assert response.context["plan"].counts == {"add": 4, "change": 0, "unchanged": 0}
    client.post("/awards/import/confirm/", {"token": response.context["token"]})
    assert IndustrialTarget.objects.get(year=2030).entity == entity("宝清县")


def test_a_units_workbook_cannot_set_its_targets(client, personas):
    """15号 四(三): a unit's 产业项目目标 sheet is refused row by row; nothing is written."""
    client.force_login(personas.reporter)
    response = client.post(
        "/awards/import/", {"year": 2030, "file": upload(workbook_bytes(GOOD_PROJECTS, GOOD_TARGETS))}
    )
    assert any("由市发展改革委下达" in e for e in response.context["errors"])
    assert not IndustrialTarget.objects.exists() and not Project.objects.exists()


def test_upload_errors_are_listed_and_nothing_is_written(client, personas):
    client.force_login(personas.reporter)
    bad = workbook_bytes([["甲", "省级百大项目", "集贤县", "否", 1, 0, "否", "否"]])
    response = client.post("/awards/import/", {"year": 2030, "file": upload(bad)})
    assert response.context["errors"] == ["项目清单 第2行 责任主体：只能导入本单位（宝清县）的数据"]
    assert not Project.objects.exists()


def test_confirm_without_preview_is_refused(client, personas):
    client.force_login(personas.reporter)
    response = client.post("/awards/import/confirm/", {"token": "abc"}, follow=True)
    assert "导入预览已失效" in response.content.decode()


def test_clerk_computes_and_sees_both_groups(client, personas):
    ProjectFactory()
    ProjectFactory(entity=entity("市住房城乡建设局"), category=Category.CITY)
    client.force_login(personas.fgw_clerk)
    assert client.post("/awards/2030/compute/").status_code == 302
    response = client.get("/awards/2030/")
    assert [line.entity.name for line in response.context["group1"]] == ["宝清县"]
    assert [line.entity.name for line in response.context["group2"]] == ["市住房城乡建设局"]


def test_drill_down_shows_the_derivation(client, personas):
    ProjectFactory.create_batch(7)
    services.allocation_compute(year=2030)
    client.force_login(personas.leader)
    response = client.get(f"/awards/2030/entity/{entity('宝清县').pk}/")
    assert "开复工 7 个 × 1.5 = 10.5（上限 15）" in response.content.decode()


def test_what_if_panel_shows_amounts_without_saving(client, personas):
    ProjectFactory(planned_investment=D(20000), actual_investment=D(10000))
    services.allocation_compute(year=2030)
    client.force_login(personas.fgw_clerk)
    response = client.get("/awards/2030/", {"rate": "10", "tiers": "一等奖,3,20"})
    assert response.context["whatif_total"] == 100
    assert Allocation.objects.get(year=2030).lines.get().final_amount == 46


def test_scheme_edit_saves_parameters(client, personas):
    from awards.forms import tiers_to_text
    from awards.models import SchemeParameters, default_tiers

    client.force_login(personas.fgw_clerk)
    form = client.get("/awards/2030/scheme/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(rate="5", tiers=tiers_to_text(default_tiers()), provincial_total="")
    response = client.post("/awards/2030/scheme/", data)
    assert response.status_code == 302
    assert SchemeParameters.objects.get(year=2030).rate == D(5)


def test_leader_cannot_compute(client, personas):
    client.force_login(personas.leader)
    assert client.post("/awards/2030/compute/").status_code == 403


def test_readers_see_project_names_without_edit_links(client, personas):
    project = ProjectFactory()
    client.force_login(personas.leader)
    assert f"/awards/projects/{project.pk}/" not in client.get("/awards/projects/").content.decode()
    client.force_login(personas.reporter)
    assert f"/awards/projects/{project.pk}/" in client.get("/awards/projects/").content.decode()


def test_an_oversized_upload_is_refused_with_a_message(client, personas, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(personas.reporter)
    big = workbook_bytes([[f"项目{i}", "省级百大项目", "宝清县", "否", 1, 0, "否", "否"] for i in range(300)])
    response = client.post("/awards/import/", {"year": 2030, "file": upload(big)})
    assert response.context["errors"][0].startswith("文件：文件过大")
    assert not Project.objects.exists()


def test_clerk_sees_a_draft_in_the_todo_list(personas):
    from awards import todo

    ProjectFactory()
    services.allocation_compute(year=2030)
    assert [i.waiting_for for i in todo.items(personas.fgw_clerk)] == ["发改委经办（核对后提交审批）"]
    # The unit's 填报员 has its data entry waiting while the year is a draft (no 待办 of the approval steps).
    assert [(i.text, i.url) for i in todo.items(personas.reporter)] == [
        ("填报2030年度百大项目数据", "/awards/projects/?year=2030")
    ]


def test_index_opens_a_year_for_allocation_readers(client, personas):
    client.force_login(personas.fgw_clerk)
    response = client.get("/awards/", {"year": "2031"})
    assert response.status_code == 302 and response.url == "/awards/2031/"
