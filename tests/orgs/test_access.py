import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from orgs.access import get_for_user, require_own_organization, visible
from orgs.models import Organization


def test_a_reporter_sees_only_their_own_organization(personas):
    assert list(visible(personas.reporter, Organization)) == [Organization.objects.get(name="宝清县")]


def test_another_organizations_object_is_a_404(personas):
    other = Organization.objects.get(name="集贤县")
    with pytest.raises(Http404):
        get_for_user(personas.reporter, Organization, pk=other.pk)


def test_leader_reads_every_organization(personas):
    assert visible(personas.leader, Organization).count() == Organization.objects.count()


def test_anonymous_sees_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert not visible(AnonymousUser(), Organization).exists()


def test_writing_another_organizations_data_is_refused(personas):
    with pytest.raises(PermissionDenied):
        require_own_organization(personas.reporter, Organization.objects.get(name="集贤县"))
    require_own_organization(personas.reporter, Organization.objects.get(name="宝清县"))
