"""No back doors: no administrator, admin page or role grant moves money past the workflow (三员分立,
GB/T 22239-2019 8.1.5; awards spec "Integrity of the money"). Each path was found by an outside tester; each
test asserts the refusal and that nothing was written."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from awards import services as award_services
from awards.models import Allocation, AllocationLine, AllocationLog, AllocationStatus, Clawback
from orgs.roles import Role
from orgs.workflow import Step
from security import permissions as security_permissions
from security import services as security_services
from tests.awards.factories import award_year_past, entity, pdf, seen, workflow_year  # noqa: F401

# The award year 2030 is past (its facts and payments are not of a day to come): "today" is injected.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("award_year_past")]
TODAY = date(2030, 12, 1)
DOMAIN_APPS = ("awards", "investment", "chiefservice", "sprouts")


def _money() -> tuple:
    return (
        list(Allocation.objects.order_by("pk").values_list("pk", "status", "version", "city_document_no")),
        list(
            AllocationLine.objects.order_by("pk").values_list(
                "pk", "final_amount", "disqualified", "disbursed_on", "disbursed_amount"
            )
        ),
        list(Clawback.objects.order_by("pk").values_list("pk", "line_id", "amount", "status")),
        AllocationLog.objects.count(),
    )


@pytest.fixture
def superuser(db):
    root = get_user_model().objects.create_superuser("root", "root@example.gov.cn", "Root-2020-sys")
    security_services.password_was_changed(root)
    return root


@pytest.fixture
def draft(personas):
    return workflow_year(2030, by=personas.fgw_clerk)


def _city_approved(draft, personas) -> Allocation:
    current = award_services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = award_services.allocation_approve(
        allocation=current, by=personas.fgw_approver, version=seen(current)
    )
    return award_services.allocation_record_city_approval(
        allocation=current,
        version=seen(current),
        by=personas.city_office,
        document_no="双政函〔2030〕1号",
        document_date=TODAY,
    )


# --- 1. the history "revert" page of the Django admin --------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_the_history_revert_page_cannot_approve_a_draft(client, personas, superuser, draft, who):
    user = superuser if who == "superuser" else personas.admin
    line = draft.lines.get(entity=entity("宝清县"))
    award_services.line_adjust(
        line=line, by=personas.fgw_clerk, amount=999, reason="测试调整", version=draft.version
    )
    draft.refresh_from_db()
    version = draft.history.latest().history_id
    before = _money()
    client.force_login(user)
    url = reverse("admin:awards_allocation_simple_history", args=[draft.pk, version])
    response = client.post(
        url,
        {"status": AllocationStatus.CITY_APPROVED, "city_document_no": "双政函〔2030〕99号", "year": 2030},
    )
    assert response.status_code == 403
    assert _money() == before
    assert Allocation.objects.get(pk=draft.pk).status == AllocationStatus.DRAFT


# --- 2. 系统管理员 and the superuser take no step of any workflow --------------------------------------------


def _every_step() -> list[tuple[str, Step]]:
    found = []
    for app in DOMAIN_APPS:
        module = importlib.import_module(f"{app}.workflow")
        for name, value in vars(module).items():
            if isinstance(value, Step):
                found.append((f"{app}.{name}", value))
    return found


def test_every_workflow_has_declared_steps():
    apps_with_steps = {name.split(".")[0] for name, _ in _every_step()}
    assert apps_with_steps == set(DOMAIN_APPS)


@pytest.mark.parametrize("who", ["admin", "security_admin", "audit_admin", "superuser"])
def test_no_administrator_passes_any_step_of_any_workflow(personas, superuser, who):
    user = superuser if who == "superuser" else personas[who]
    passed = [name for name, step in _every_step() if step.role_decision(user)]
    assert passed == []


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_administrators_cannot_move_award_money_through_the_pages(client, personas, superuser, draft, who):
    user = superuser if who == "superuser" else personas.admin
    client.force_login(user)
    before = _money()
    assert client.post("/awards/2030/submit/", {"version": draft.version}).status_code == 403
    assert _money() == before
    submitted = award_services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    assert client.post("/awards/2030/approve/", {"version": submitted.version}).status_code == 403
    approved = award_services.allocation_approve(
        allocation=submitted, by=personas.fgw_approver, version=seen(submitted)
    )
    response = client.post(
        "/awards/2030/city-approval/",
        {"version": approved.version, "document_no": "双政函〔2030〕7号", "document_date": "2030-12-01"},
    )
    assert response.status_code == 403
    city = award_services.allocation_record_city_approval(
        allocation=approved,
        version=seen(approved),
        by=personas.city_office,
        document_no="双政函〔2030〕1号",
        document_date=TODAY,
    )
    after_workflow = _money()
    line = city.lines.get(entity=entity("宝清县"))
    response = client.post(
        f"/awards/lines/{line.pk}/disburse/", {"paid_on": "2030-12-01", "voucher_no": "PZ-1"}
    )
    assert response.status_code == 403
    assert _money() == after_workflow


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_administrators_are_refused_by_the_money_services(personas, superuser, draft, who):
    user = superuser if who == "superuser" else personas.admin
    before = _money()
    with pytest.raises(ValidationError):
        award_services.allocation_submit(allocation=draft, by=user, version=seen(draft))
    city = _city_approved(draft, personas)
    after_workflow = _money()
    line = city.lines.get(entity=entity("宝清县"))
    with pytest.raises(ValidationError):
        award_services.line_disburse(line=line, by=user, paid_on=TODAY, voucher_no="PZ-1")
    assert _money() == after_workflow
    assert before != after_workflow  # the real approvers moved it; the administrator did not


def test_an_administrator_account_holds_no_business_role(personas):
    with pytest.raises(ValidationError, match="管理员账号不能兼任业务角色"):
        security_services.check_separation([Role.ADMIN, Role.FINANCE])
    with pytest.raises(ValidationError, match="管理员账号不能兼任业务角色"), transaction.atomic():
        personas.audit_admin.groups.add(personas.finance.groups.get())
    assert set(personas.audit_admin.groups.values_list("name", flat=True)) == {Role.AUDIT_ADMIN}


# --- 3. the 安全管理员 grants itself nothing; no administrator acts on another ---------------------------------


@pytest.mark.parametrize("role", [Role.FINANCE, Role.AUDIT_ADMIN])
def test_the_security_administrator_cannot_grant_itself_a_role(client, personas, role):
    me = personas.security_admin
    client.force_login(me)
    response = client.post(f"/security/accounts/{me.pk}/roles/", {"roles": [Role.SECURITY_ADMIN, role]})
    assert response.status_code == 403
    assert set(me.groups.values_list("name", flat=True)) == {Role.SECURITY_ADMIN}
    with pytest.raises(ValidationError):
        security_services.assign_roles(user=me, roles=[Role.SECURITY_ADMIN, role], by=me)
    assert set(me.groups.values_list("name", flat=True)) == {Role.SECURITY_ADMIN}


def test_the_security_administrator_grants_business_roles_to_others(client, personas):
    client.force_login(personas.security_admin)
    target = personas.market
    response = client.post(
        f"/security/accounts/{target.pk}/roles/", {"roles": [Role.MARKET, Role.AGRICULTURE]}
    )
    assert response.status_code == 302
    assert set(target.groups.values_list("name", flat=True)) == {Role.MARKET, Role.AGRICULTURE}


def test_administrator_roles_are_granted_only_by_the_setup_superuser(client, personas, superuser):
    target = personas.market
    with pytest.raises(ValidationError, match="初始设置账号"):
        security_services.assign_roles(user=target, roles=[Role.AUDIT_ADMIN], by=personas.security_admin)
    security_services.assign_roles(user=personas.market, roles=[], by=personas.security_admin)
    security_services.assign_roles(user=target, roles=[Role.AUDIT_ADMIN], by=superuser)
    assert set(target.groups.values_list("name", flat=True)) == {Role.AUDIT_ADMIN}
    with pytest.raises(ValidationError, match="业务角色由安全管理员分配"):
        security_services.assign_roles(user=personas.police, roles=[Role.FINANCE], by=superuser)


def test_the_system_administrator_cannot_reset_or_deactivate_another_administrator(client, personas):
    client.force_login(personas.admin)
    auditor = personas.audit_admin
    password = auditor.password
    url = reverse("admin:auth_user_password_change", args=[auditor.pk])
    response = client.post(url, {"password1": "Xx-2030-new-pass", "password2": "Xx-2030-new-pass"})
    assert response.status_code == 403
    change = client.post(reverse("admin:auth_user_change", args=[auditor.pk]), {"username": "renamed"})
    assert change.status_code == 403
    assert client.get(f"/security/accounts/{auditor.pk}/deactivate/").status_code == 403
    with pytest.raises(ValidationError, match="另一位管理员"):
        security_services.deactivate(user=auditor, by=personas.admin, reason="x")
    auditor.refresh_from_db()
    assert (auditor.password, auditor.username, auditor.is_active) == (password, "audit_admin", True)


def test_the_security_administrator_cannot_unlock_or_reset_another_administrator(client, personas):
    client.force_login(personas.security_admin)
    for action in ("unlock", "second-factor/reset"):
        response = client.post(f"/security/accounts/{personas.admin.pk}/{action}/")
        assert response.status_code == 403


def test_the_last_active_auditor_cannot_be_deactivated(personas, superuser):
    decision = security_permissions.can_deactivate(superuser, personas.audit_admin)
    assert decision.reason == security_permissions.LAST_AUDITOR
    with pytest.raises(ValidationError):
        security_services.deactivate(user=personas.audit_admin, by=superuser, reason="调离")
    assert get_user_model().objects.get(pk=personas.audit_admin.pk).is_active


def test_a_role_grant_waits_in_the_auditors_todo_until_reviewed(
    client, personas, django_capture_on_commit_callbacks
):
    from orgs.todo import items_for
    from security.todo import pending_role_changes

    with django_capture_on_commit_callbacks(execute=True):
        security_services.assign_roles(user=personas.police, roles=[Role.FINANCE], by=personas.security_admin)
    pending = pending_role_changes()
    assert any("市财政局" in event.detail and event.target == "police" for event in pending)
    texts = [item.text for item in items_for(personas.audit_admin)]
    assert any("角色变更待复核" in text for text in texts)
    assert not any("角色变更待复核" in item.text for item in items_for(personas.security_admin))
    client.force_login(personas.audit_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/security/audit/review/", {"up_to": pending.last().seq})
    assert response.status_code == 302
    assert not pending_role_changes().exists()
    assert not any("角色变更待复核" in item.text for item in items_for(personas.audit_admin))


# --- 4. a clawback cannot be moved to another line ---------------------------------------------------------


def test_a_clawback_cannot_be_moved_to_another_line(client, personas, superuser, draft):
    city = _city_approved(draft, personas)
    paid = city.lines.get(entity=entity("宝清县"))
    award_services.line_disburse(line=paid, by=personas.finance, paid_on=TODAY, voucher_no="PZ-1")
    city.refresh_from_db()
    award_services.line_disqualify(
        line=paid,
        by=personas.fgw_clerk,
        ground="audit",
        description="审计发现问题",
        document=pdf(),
        version=city.version,
    )
    clawback = Clawback.objects.get(line=paid)
    other = city.lines.exclude(pk=paid.pk).first()
    before = _money()
    for user in (personas.admin, superuser):
        client.force_login(user)
        response = client.post(
            reverse("admin:awards_clawback_change", args=[clawback.pk]),
            {"line": other.pk, "amount": clawback.amount, "status": clawback.status},
        )
        assert response.status_code == 403
    assert _money() == before
    clawback.line = other
    with pytest.raises(ValidationError, match="不能修改"):
        clawback.full_clean()


def test_every_domain_model_in_the_admin_is_known(db):
    """A new model of the four systems is read-only in the admin unless docs/security.md lists it."""
    from django.contrib import admin

    from orgs.admin import ReadOnlyMixin

    editable = {"sprouts.additive", "sprouts.routingrule", "sprouts.supervisionsettings"}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if model._meta.app_label in DOMAIN_APPS and label not in editable:
            assert isinstance(model_admin, ReadOnlyMixin), label
    assert apps.get_model("awards", "Allocation") in admin.site._registry


def test_the_setup_superuser_gives_an_administrator_its_role_on_the_accounts_page(
    client, personas, superuser
):
    target = personas.police
    security_services.assign_roles(user=target, roles=[], by=personas.security_admin)
    client.force_login(superuser)
    assert client.get("/security/accounts/").status_code == 200
    response = client.post(f"/security/accounts/{target.pk}/roles/", {"roles": [Role.AUDIT_ADMIN]})
    assert response.status_code == 302
    assert set(target.groups.values_list("name", flat=True)) == {Role.AUDIT_ADMIN}
    refused = client.post(f"/security/accounts/{target.pk}/roles/", {"roles": [Role.FINANCE]})
    assert refused.status_code == 200 and "业务角色由安全管理员分配" in refused.content.decode()
    assert set(target.groups.values_list("name", flat=True)) == {Role.AUDIT_ADMIN}
