"""One rule, every path (双政办发〔2020〕16号): ``full_clean()`` refuses what the pages refuse, with the same
message — the rule lives in the model's ``clean()``; the Django admin adds and changes no record at all."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from investment import services
from investment.models import Project, SelfEvaluation, SpotCheck

from .factories import evaluation, org

pytestmark = pytest.mark.django_db


def admin_refuses(client, personas, model, data) -> None:
    client.force_login(personas.admin)
    before = model.objects.count()
    url = reverse(f"admin:investment_{model._meta.model_name}_add")
    assert client.post(url, data).status_code == 403, "the admin offered to add the row"
    assert model.objects.count() == before


def project_values(**kw):
    values = {
        "organization": org("宝清县").pk,
        "year": 2020,
        "name": "后台录入项目",
        "investor": "某公司",
        "source": "domestic",
        "signed_on": "2020-05-01",
        "contract_wan": "100",
        "industry": "",
        "started_on": "2020-04-01",
        "received_foreign_musd": "0",
        "received_domestic_wan": "0",
    }
    values.update(kw)
    return values


def test_clause_3_start_before_signing_is_refused_by_the_admin_and_full_clean(client, personas):
    admin_refuses(client, personas, Project, project_values())
    project = Project(organization=org("宝清县"), year=2020, name="x", investor="y", source="domestic")
    project.signed_on, project.started_on = date(2020, 5, 1), date(2020, 4, 1)
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert exc.value.message_dict["started_on"] == [services.STARTED_BEFORE_SIGNED]
    assert not Project.objects.exists()


def spot_check_values(**kw):
    values = {
        "year": 2020,
        "organization": org("宝清县").pk,
        "checked_on": "2021-01-05",
        "findings": "合同伪造",
        "falsified": "on",
        "supplier": "",
        "recorded_by": "",
    }
    values.update(kw)
    return values


def test_clause_6_2_falsified_without_supplier_is_refused_by_the_admin_and_full_clean(client, personas):
    admin_refuses(client, personas, SpotCheck, spot_check_values(recorded_by=personas.assessor.pk))
    check = SpotCheck(
        year=2020,
        organization=org("宝清县"),
        checked_on=date(2021, 1, 5),
        findings="x",
        falsified=True,
        recorded_by=personas.assessor,
    )
    with pytest.raises(ValidationError) as exc:
        check.full_clean()
    assert exc.value.message_dict["supplier"] == [services.SUPPLIER_REQUIRED]


def test_clause_7_3_a_unit_not_assessed_is_refused_by_the_admin_the_page_and_full_clean(client, personas):
    police = org("宝清县公安局")
    message = services.NOT_ASSESSED.format(unit=police, year=2020)
    admin_refuses(
        client,
        personas,
        SpotCheck,
        spot_check_values(organization=police.pk, falsified="", recorded_by=personas.assessor.pk),
    )
    client.force_login(personas.assessor)
    page = client.post("/investment/spotchecks/new/", spot_check_values(organization=police.pk, falsified=""))
    assert page.context["form"].errors["organization"] == [message]
    check = SpotCheck(
        year=2020,
        organization=police,
        checked_on=date(2021, 1, 5),
        findings="x",
        recorded_by=personas.assessor,
    )
    with pytest.raises(ValidationError) as exc:
        check.full_clean()
    assert exc.value.message_dict["organization"] == [message]
    assert not SpotCheck.objects.exists()


def test_clause_6_2_a_submitted_self_evaluation_without_evidence_fails_full_clean(client, personas):
    ev = SelfEvaluation(
        organization=org("宝清县"), year=2020, due_on=date(2020, 12, 25), report="x", status="submitted"
    )
    with pytest.raises(ValidationError) as exc:
        ev.full_clean()
    assert services.EVIDENCE_REQUIRED in exc.value.messages
    # The admin cannot submit one: the record is read-only there, submission is the service's.
    draft = evaluation(org("宝清县"))
    client.force_login(personas.admin)
    url = reverse("admin:investment_selfevaluation_change", args=[draft.pk])
    assert client.post(url, {"status": "submitted", "report": "x"}).status_code == 403
    assert SelfEvaluation.objects.get(pk=draft.pk).status == draft.status
