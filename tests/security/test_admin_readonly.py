"""The Django admin is for reference data: walked model by model as the 系统管理员 and as the superuser, every
record with money, a workflow state, an approval or a document number refuses add, change, delete and revert
(403) and stays as it was (docs/security.md, "The Django admin is for reference data")."""

from __future__ import annotations

import os

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from orgs.admin import HistoryAdmin
from security import services as security_services

#: What the admin may still edit, each with its reason in docs/security.md.
EDITABLE = {
    "auth.user",
    "orgs.organization",
    "orgs.membership",
    "sprouts.routingrule",
    "sprouts.additive",
    "sprouts.supervisionsettings",
    # django-axes' lockout records: security data of the 安全管理员, no money, state or approval.
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo data is for development only
    call_command("load_gazette", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = get_user_model().objects
    root = users.create_superuser("root", "root@example.gov.cn", "Root-2020-sys")
    actors = {"系统管理员": users.get(username="admin"), "superuser": root}
    for user in actors.values():
        security_services.password_was_changed(user)
    return actors


def _read_only_models():
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.label_lower not in EDITABLE
        ),
        key=lambda pair: pair[0]._meta.label,
    )


def _state(model):
    return model.objects.count(), list(model.objects.order_by("pk").values()[:50])


@pytest.mark.parametrize("who", ["系统管理员", "superuser"])
def test_no_record_of_the_four_systems_is_added_changed_deleted_or_reverted_in_the_admin(client, demo, who):
    client.force_login(demo[who])
    refused, with_rows = [], 0
    for model, model_admin in _read_only_models():
        info = model._meta.app_label, model._meta.model_name
        before = _state(model)
        add = reverse("admin:{}_{}_add".format(*info))
        attempts = [("get", add, {}), ("post", add, {})]
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            with_rows += 1
            change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            delete = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
            fields = {f.name: "1" for f in model._meta.concrete_fields if f.name != "id"}
            attempts += [("post", change, fields), ("post", delete, {"post": "yes"})]
            if isinstance(model_admin, HistoryAdmin) and hasattr(obj, "history") and obj.history.exists():
                version = obj.history.order_by("history_id").first().history_id
                revert = reverse("admin:{}_{}_simple_history".format(*info), args=[obj.pk, version])
                attempts.append(("post", revert, fields))
        for method, url, data in attempts:
            status = getattr(client, method)(url, data).status_code
            if status != 403:
                refused.append(f"{method.upper()} {url}: {status}")
        assert _state(model) == before, model._meta.label
    assert refused == []
    assert with_rows >= 20, "the demo data should give most models a row to try"


def test_the_system_administrator_still_reads_the_records(client, demo):
    client.force_login(demo["系统管理员"])
    allocation = reverse("admin:awards_allocation_changelist")
    assert client.get(allocation).status_code == 200


def test_reference_data_stays_editable_by_the_system_administrator(client, demo):
    from sprouts.models import Additive

    client.force_login(demo["系统管理员"])
    additive = Additive.objects.order_by("pk").first()
    url = reverse("admin:sprouts_additive_change", args=[additive.pk])
    response = client.post(url, {"name": "新名称", "is_active": "on", "order": additive.order})
    assert response.status_code == 302
    assert Additive.objects.get(pk=additive.pk).name == "新名称"
