"""``__any``: the rows of ``__in``, written so PostgreSQL keeps each alternative's index (orgs.lookups.AnyOf)."""

import pytest
from django.db import connection
from django.db.models import Q

from orgs.models import Membership, Organization

pytestmark = pytest.mark.django_db


def test_any_selects_the_rows_of_in(gazette):
    counties = Organization.objects.filter(name__endswith="县").values("pk")
    either = Q(name="市发展改革委") | Q(pk__any=counties)
    assert set(Organization.objects.filter(either)) == set(
        Organization.objects.filter(Q(name="市发展改革委") | Q(pk__in=counties))
    )
    assert Organization.objects.filter(either).count() == counties.count() + 1


def test_any_on_a_foreign_key_follows_the_relation(personas):
    baoqing = Organization.objects.filter(name="宝清县").values("pk")
    members = Membership.objects.filter(organization__any=baoqing)
    assert set(members) == set(Membership.objects.filter(organization__in=baoqing))
    assert members.exists()


def test_any_reads_the_subquery_into_an_array_on_postgresql(gazette):
    sql = str(Organization.objects.filter(pk__any=Organization.objects.values("pk")).query)
    expected = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else "IN (SELECT"
    assert expected in sql
