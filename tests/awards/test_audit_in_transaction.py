"""The audit record is part of the change it records: when it cannot be appended, the change does not stand."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from awards import services, statistics
from awards.models import Project, Verification
from security import audit
from security.models import AuditEvent

from .factories import declared

pytestmark = pytest.mark.django_db


def test_a_failed_append_rolls_the_business_change_back(personas, monkeypatch):
    project = declared(name="审计追加失败")
    services.statistics_apply(
        statistics.Plan(2030, [statistics.Row(project, True, project.actual_investment)])
    )
    before = AuditEvent.objects.count()

    def broken(values, now=None):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(audit, "_append", broken)
    with pytest.raises(DatabaseError):
        services.projects_verify(projects=[project], by=personas.fgw_clerk)
    current = Project.objects.get(pk=project.pk)
    assert (current.verification, current.verified_by_id) == (Verification.PENDING, None)
    assert AuditEvent.objects.count() == before


def test_the_record_is_written_with_the_change_it_records(personas):
    project = declared(name="审计同一事务")
    services.statistics_apply(
        statistics.Plan(2030, [statistics.Row(project, True, project.actual_investment)])
    )
    services.projects_verify(projects=[project], by=personas.fgw_clerk)  # no commit hook needed to see it
    assert AuditEvent.objects.filter(target="百大项目核实", actor_id=personas.fgw_clerk.pk).exists()
