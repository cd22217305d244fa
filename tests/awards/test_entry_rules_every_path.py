"""Who enters what in the award year, and the rules of entry on every path: form, workbook, admin, full_clean
(双政办发〔2020〕14号 四(二), 15号 四(三) "指标采集由市发展改革委牵头负责"; "投资500万元以上产业项目")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards import imports, rules, services
from awards.models import Category, IndustrialTarget, Project
from awards.tables import TOTAL_MISSING
from tests.awards.factories import seen
from tests.factories import make_superuser

from .conftest import workbook_bytes
from .factories import ProjectFactory, entity, workflow_year

SMALL_IND = {
    "year": 2030,
    "name": "一百万元的产业项目",
    "category": Category.IND,
    "total_investment": "100",
    "planned_investment": "100",
    "actual_investment": "0",
}


@pytest.fixture
def admin_client(client, gazette):
    root = make_superuser()
    client.force_login(root)
    return client


def test_an_industrial_project_under_5_million_is_refused_by_the_form(client, personas):
    """15号 四(三): only 投资500万元以上产业项目 count; a 100万元 one is refused at entry, next to the field."""
    client.force_login(personas.reporter)
    response = client.post("/awards/projects/new/", SMALL_IND)
    assert response.status_code == 200
    assert response.context["form"].errors["total_investment"] == [rules.INDUSTRIAL_MINIMUM]
    assert not Project.objects.exists()


def test_five_million_itself_counts(client, personas):
    """以上 includes the number itself."""
    client.force_login(personas.reporter)
    response = client.post("/awards/projects/new/", SMALL_IND | {"total_investment": "500"})
    assert response.status_code == 302
    assert Project.objects.get().total_investment == Decimal("500")


def test_the_form_asks_for_the_total_of_a_new_industrial_project(client, personas):
    client.force_login(personas.reporter)
    response = client.post("/awards/projects/new/", SMALL_IND | {"total_investment": ""})
    assert response.context["form"].errors["total_investment"] == [rules.INDUSTRIAL_TOTAL_REQUIRED]


def test_full_clean_and_admin_refuse_the_small_industrial_project_with_the_forms_message(admin_client):
    project = Project(
        year=2030,
        name="小项目",
        category=Category.IND,
        entity=entity("宝清县"),
        total_investment=Decimal("100"),
        planned_investment=Decimal("100"),
    )
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["total_investment"] == [rules.INDUSTRIAL_MINIMUM]
    response = admin_client.post(
        "/admin/awards/project/add/",
        SMALL_IND | {"entity": entity("宝清县").pk, "started": "", "completed": ""},
    )
    assert response.status_code == 403, "the admin offered to add the row"
    assert not Project.objects.exists()


def test_full_clean_and_admin_refuse_completed_without_started(admin_client):
    data = SMALL_IND | {"category": Category.PROV, "entity": entity("宝清县").pk, "completed": "on"}
    assert admin_client.post("/admin/awards/project/add/", data).status_code == 403
    project = Project(
        year=2030, name="未开工", category=Category.PROV, entity=entity("宝清县"), completed=True
    )
    project.planned_investment = project.actual_investment = Decimal("1")
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["completed"] == [rules.COMPLETED_NOT_STARTED]
    assert not Project.objects.exists()


def test_the_admin_cannot_change_a_locked_years_project(admin_client, personas):
    """The year is locked once submitted: the admin refuses what the page refuses."""
    draft = workflow_year(2030, by=personas.fgw_clerk)
    services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    project = Project.objects.filter(year=2030).first()
    data = {
        "year": 2030,
        "name": project.name,
        "category": project.category,
        "entity": project.entity_id,
        "planned_investment": "1",
        "actual_investment": "0",
        "started": "on",
    }
    response = admin_client.post(f"/admin/awards/project/{project.pk}/change/", data)
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.planned_investment != Decimal("1")


def test_a_workbook_row_under_5_million_is_refused_with_its_row(gazette, tmp_path):
    headers = [*imports.PROJECT_HEADERS, imports.TOTAL_INVESTMENT]
    path = tmp_path / "small.xlsx"
    path.write_bytes(
        workbook_bytes(
            [["小产业项目", "产业项目", "宝清县", "否", 100, 0, "否", "否", 100]], project_headers=headers
        )
    )
    with pytest.raises(imports.WorkbookErrors) as exc:
        imports.parse(str(path), year=2030)
    assert [str(e) for e in exc.value.errors] == [
        f"项目清单 第2行 {imports.TOTAL_INVESTMENT}：{rules.INDUSTRIAL_MINIMUM}"
    ]


def test_a_workbook_row_with_its_total_is_stored(gazette, tmp_path):
    headers = [*imports.PROJECT_HEADERS, imports.TOTAL_INVESTMENT]
    path = tmp_path / "ok.xlsx"
    path.write_bytes(
        workbook_bytes(
            [["大产业项目", "产业项目", "宝清县", "否", 800, 0, "否", "否", 8000]], project_headers=headers
        )
    )
    imports.import_workbook(str(path), year=2030)
    assert Project.objects.get().total_investment == Decimal("8000")


def test_an_older_industrial_project_without_its_total_is_flagged_not_dropped(client, personas):
    ProjectFactory(category=Category.IND, total_investment=None, name="早先录入的产业项目")
    client.force_login(personas.fgw_clerk)
    page = client.get("/awards/projects/?year=2030").content.decode()
    assert "早先录入的产业项目" in page and TOTAL_MISSING in page


def test_fgw_clerk_corrects_a_units_project_with_a_reason_kept_in_history(client, personas):
    """14号 四(二): 发改委经办 may correct any unit's project; the reason stays in its history."""
    project = ProjectFactory()
    client.force_login(personas.fgw_clerk)
    data = {
        "year": 2030,
        "name": project.name,
        "category": project.category,
        "planned_investment": "10000",
        "actual_investment": "4000",
        "started": "on",
    }
    refused = client.post(f"/awards/projects/{project.pk}/", data)
    assert refused.context["form"].errors["correction_reason"]
    response = client.post(
        f"/awards/projects/{project.pk}/", data | {"correction_reason": "按统计局反馈更正"}
    )
    assert response.status_code == 302
    latest = project.history.latest()
    assert latest.history_change_reason == "按统计局反馈更正"
    assert latest.history_user == personas.fgw_clerk


def test_a_unit_cannot_edit_another_units_project(client, personas):
    project = ProjectFactory(entity=entity("集贤县"))
    client.force_login(personas.reporter)
    assert client.get(f"/awards/projects/{project.pk}/").status_code == 404


def test_full_clean_and_admin_refuse_a_negative_target_with_the_forms_message(admin_client, client, personas):
    data = {"year": 2030, "entity": entity("宝清县").pk, "target_count": "3", "target_amount": "-1"}
    assert admin_client.post("/admin/awards/industrialtarget/add/", data).status_code == 403
    target = IndustrialTarget(year=2030, entity=entity("宝清县"), target_count=3, target_amount=Decimal("-1"))
    with pytest.raises(ValidationError) as exc:
        target.full_clean()
    client.force_login(personas.fgw_clerk)
    form_errors = client.post("/awards/targets/", data).context["form"].errors
    assert exc.value.message_dict["target_amount"] == form_errors["target_amount"]
    assert not IndustrialTarget.objects.exists()
