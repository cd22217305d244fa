"""Every step acts on the version of the allocation the user saw: without it, nothing is done."""

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import Allocation, AllocationLine, AllocationStatus
from orgs.workflow import VERSION_REQUIRED

from .factories import entity, pdf, workflow_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas):
    return workflow_year(by=personas.fgw_clerk)


def test_a_line_adjustment_posted_without_its_version_is_refused_and_nothing_changes(client, personas, draft):
    line = draft.lines.get(entity=entity("宝清县"))
    before = (line.final_amount, draft.version)
    client.force_login(personas.fgw_clerk)
    response = client.post(f"/awards/lines/{line.pk}/adjust/", {"amount": 999, "reason": "调整"})
    assert response.status_code == 200
    assert response.context["adjust_form"].errors["version"]
    line.refresh_from_db()
    assert (line.final_amount, Allocation.objects.get(pk=draft.pk).version) == before


@pytest.mark.parametrize(
    "action",
    [
        lambda draft, line, p: services.line_adjust(
            line=line, by=p.fgw_clerk, amount=999, reason="调整", version=None
        ),
        lambda draft, line, p: services.line_disqualify(
            line=line, by=p.fgw_clerk, ground="accident", description="事故", document=pdf(), version=None
        ),
        lambda draft, line, p: services.allocation_submit(allocation=draft, by=p.fgw_clerk, version=None),
    ],
    ids=["adjust", "disqualify", "submit"],
)
def test_a_service_step_without_the_version_raises_and_writes_nothing(personas, draft, action):
    line = draft.lines.get(entity=entity("宝清县"))
    with pytest.raises(ValidationError, match=VERSION_REQUIRED[:10]):
        action(draft, line, personas)
    current = Allocation.objects.get(pk=draft.pk)
    assert (current.status, current.version) == (AllocationStatus.DRAFT, draft.version)
    assert not AllocationLine.objects.filter(allocation=draft, disqualified=True).exists()
    assert AllocationLine.objects.get(pk=line.pk).final_amount == line.final_amount


def test_the_submit_button_posted_without_the_version_changes_nothing(client, personas, draft):
    client.force_login(personas.fgw_clerk)
    client.post("/awards/2030/submit/", {})
    current = Allocation.objects.get(pk=draft.pk)
    assert (current.status, current.version) == (AllocationStatus.DRAFT, draft.version)
