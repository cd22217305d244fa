"""Every business date lies in 2000–2100: on the model fields, so forms, the admin and imports all refuse."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from orgs import discovery
from orgs.validators import validate_business_date
from sprouts.models import Case
from tests.sprouts.factories import intake_data

OUT_OF_RANGE = "日期须在 2000 年至 2100 年之间。"


def _date_fields():
    for model in apps.get_models():
        if model._meta.app_label in (*discovery.domain_apps(), "orgs") and not model.__name__.startswith(
            "Historical"
        ):
            for field in model._meta.concrete_fields:
                if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                    yield f"{model._meta.label}.{field.name}", field


@pytest.mark.parametrize(
    ("name", "field"), list(_date_fields()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_business_date_field_has_the_range(name, field):
    assert validate_business_date in field.validators, name


@pytest.mark.parametrize(
    "day", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(9999, 12, 31)]
)
def test_the_field_refuses_a_date_outside_the_range(day):
    field = Case._meta.get_field("found_on")
    with pytest.raises(Exception, match="2000 年至 2100 年"):
        field.run_validators(day)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-03-02", "1999-12-31"])
def test_the_intake_page_refuses_a_found_date_outside_the_range(client, personas, day):
    client.force_login(personas.agriculture)
    response = client.post(
        reverse("sprouts:case_create"),
        intake_data(found_on=day),
    )
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not Case.objects.exists()
