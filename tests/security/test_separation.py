"""三员分立 (GB/T 22239-2019 8.1.5): three administrators, none holding another's role or doing its work."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from orgs.roles import Role
from security import services
from security.permissions import can_read_audit


@pytest.mark.parametrize(
    ("held", "added"),
    [
        (Role.ADMIN, Role.AUDIT_ADMIN),
        (Role.SECURITY_ADMIN, Role.ADMIN),
        (Role.AUDIT_ADMIN, Role.SECURITY_ADMIN),
    ],
)
def test_no_account_holds_two_administrator_roles(personas, held, added):
    user = {Role.ADMIN: personas.admin, Role.SECURITY_ADMIN: personas.security_admin}.get(
        held, personas.audit_admin
    )
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        user.groups.add(Group.objects.get(name=added))
    assert set(user.groups.values_list("name", flat=True)) == {held}


def test_the_group_side_is_checked_too(personas):
    with pytest.raises(ValidationError), transaction.atomic():
        Group.objects.get(name=Role.AUDIT_ADMIN).user_set.add(personas.security_admin)


def test_the_roles_page_refuses_two_administrator_roles(client, personas):
    client.force_login(personas.security_admin)
    response = client.post(
        f"/security/accounts/{personas.leader.pk}/roles/", {"roles": [Role.ADMIN, Role.AUDIT_ADMIN]}
    )
    assert "三员分立" in response.content.decode()
    assert list(personas.leader.groups.values_list("name", flat=True)) == [Role.LEADER]


def test_the_security_administrator_assigns_roles(client, personas):
    client.force_login(personas.security_admin)
    client.post(f"/security/accounts/{personas.leader.pk}/roles/", {"roles": [Role.ASSESSOR]})
    assert list(personas.leader.groups.values_list("name", flat=True)) == [Role.ASSESSOR]


def test_a_superuser_is_no_audit_reader(personas):
    personas.admin.is_superuser = True
    assert not can_read_audit(personas.admin)


def test_a_superuser_cannot_also_become_an_auditor(personas):
    personas.admin.is_superuser = True
    personas.admin.save(update_fields=["is_superuser"])
    with pytest.raises(ValidationError):
        services.assign_roles(
            user=personas.admin, roles=[Role.AUDIT_ADMIN, Role.ADMIN], by=personas.security_admin
        )
    personas.admin.groups.clear()
    with pytest.raises(ValidationError), transaction.atomic():
        personas.admin.groups.add(Group.objects.get(name=Role.AUDIT_ADMIN))


def test_the_system_administrator_cannot_change_roles_in_the_django_admin(client, personas):
    client.force_login(personas.admin)
    html = client.get(f"/admin/auth/user/{personas.leader.pk}/change/").content.decode()
    assert 'name="groups"' not in html and 'name="is_superuser"' not in html


def test_the_audit_trail_has_no_admin_pages(client, personas):
    client.force_login(personas.admin)
    assert client.get("/admin/security/auditevent/").status_code == 404
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_the_system_administrator_is_no_superuser(personas):
    assert personas.admin.is_staff and not personas.admin.is_superuser


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/admin/awards/project/", 200),  # the records of the four systems
        ("/admin/orgs/organization/", 200),  # organizations and reference data
        ("/admin/auth/user/", 200),  # accounts: create, edit, deactivate
        ("/admin/auth/group/add/", 403),  # roles are the 安全管理员's
        ("/admin/axes/accessattempt/", 403),  # lockouts too
    ],
)
def test_the_system_administrator_reaches_in_the_admin_only_its_own_work(client, personas, url, status):
    client.force_login(personas.admin)
    assert client.get(url).status_code == status


def test_a_new_model_of_a_domain_app_is_covered_after_migrate(personas):
    """The group's permissions are granted after every migrate, from the apps, not from a fixed list."""
    group = Group.objects.get(name=Role.ADMIN)
    group.permissions.clear()
    services.grant_administrator_permissions()
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("sprouts", "change_case") in codenames and ("awards", "view_allocation") in codenames
    assert not any(app in ("security", "axes", "otp_totp") for app, _ in codenames)
    assert ("auth", "delete_user") not in codenames and ("auth", "change_group") not in codenames


def test_unlocking_is_refused_by_the_service_as_the_page_refuses_it(client, personas):
    """security's own booleans became ``can_*`` Decisions: the view and the service give the same reason."""
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from security import permissions, services

    decision = permissions.can_unlock(personas.admin, personas.reporter)
    assert not decision
    client.force_login(personas.admin)
    response = client.post(reverse("security:unlock", args=[personas.reporter.pk]))
    assert response.status_code == 403
    with pytest.raises(ValidationError) as refused:
        services.unlock(user=personas.reporter, by=personas.admin)
    assert refused.value.messages == [decision.reason]
