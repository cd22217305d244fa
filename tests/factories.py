"""Factories shared by every app's tests: organizations and users with a role in an organization."""

import factory
from django.contrib.auth import get_user_model

from orgs.demo import create_user
from orgs.models import Organization, OrganizationKind

PASSWORD = "Test-pass-2020"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganizationKind.MUNICIPAL
    directory_order = factory.Sequence(lambda n: 10_000 + n)


_counter = iter(range(1, 10**9))


def make_user(role: str, organization: Organization, username: str | None = None):
    """A user holding ``role`` in ``organization``, password ``PASSWORD``."""
    username = username or f"u{next(_counter)}"
    user = create_user(username, role=role, organization=organization, name=username, password=PASSWORD)
    user.email = f"{username}@example.gov.cn"
    user.save(update_fields=["email"])
    return get_user_model().objects.get(pk=user.pk)


SUPERUSER_PASSWORD = "Root-2020-sys"  # noqa: S105 - a test account's


def make_superuser(username: str = "root", password: str = SUPERUSER_PASSWORD):
    """A superuser whose password was set the ordinary way (set_password + save), so its change is recorded;
    Django's ``create_superuser`` writes the hash directly, which would send it to the password page first."""
    user = get_user_model().objects.create_superuser(username, f"{username}@example.gov.cn", password)
    user.set_password(password)
    user.save()
    return user
