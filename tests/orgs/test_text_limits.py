"""Every text has a limit that one Excel cell and one page hold: the model fields (forms, admin, imports),
the plain forms, and the export writer for what is longer anyway."""

from io import BytesIO

import pytest
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import AllocationLine
from orgs import discovery
from orgs.validators import EXCEL_CELL_LIMIT
from orgs.xlsx import Sheet, workbook_bytes
from sprouts.models import Case
from tests.awards.factories import entity, workflow_year
from tests.sprouts.factories import intake_data

NINE_MB = "长" * (3 * 1024 * 1024)  # 9 MB of UTF-8


def _text_fields():
    for model in apps.get_models():
        if model._meta.app_label in (*discovery.domain_apps(), "orgs") and not model.__name__.startswith(
            "Historical"
        ):
            for field in model._meta.concrete_fields:
                if isinstance(field, models.TextField):
                    yield f"{model._meta.label}.{field.name}", field


@pytest.mark.parametrize(
    ("name", "field"), list(_text_fields()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_text_field_has_a_limit_below_an_excel_cell_checked_by_the_model(name, field):
    assert field.max_length is not None and field.max_length <= EXCEL_CELL_LIMIT, name
    assert any(
        isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators
    )


@pytest.mark.django_db
def test_a_9_mb_adjustment_reason_is_refused_next_to_the_field(client, personas):
    draft = workflow_year(by=personas.fgw_clerk)
    line = draft.lines.get(entity=entity("宝清县"))
    client.force_login(personas.fgw_clerk)
    response = client.post(
        f"/awards/lines/{line.pk}/adjust/", {"amount": 5, "reason": NINE_MB, "version": draft.version}
    )
    assert response.status_code == 200
    [error] = response.context["adjust_form"].errors["reason"]
    assert "2000" in error  # the limit named next to the field
    assert AllocationLine.objects.get(pk=line.pk).adjustment_reason == ""


@pytest.mark.django_db
def test_a_9_mb_finding_is_refused_by_the_intake_page(client, personas):
    client.force_login(personas.agriculture)
    response = client.post(
        reverse("sprouts:case_create"),
        intake_data(findings=NINE_MB),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["findings"]
    assert "10000" in error
    assert not Case.objects.exists()


def test_the_export_writer_never_writes_a_cell_over_excels_limit():
    # A text stored before the limits (or composed of several fields) reaches the writer too long.
    too_long = "甲" * (EXCEL_CELL_LIMIT * 3)
    content = workbook_bytes([Sheet(name="案件", rows=[["说明"], [too_long]])])
    cell = load_workbook(BytesIO(content)).active["A2"].value
    assert len(cell) <= EXCEL_CELL_LIMIT
    assert cell.startswith("甲" * 1000) and "已截去" in cell
