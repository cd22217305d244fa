"""The approval workflow: every transition allowed and refused, four-eyes, freeze, revisions, notifications."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import AllocationLog, AllocationStatus, Project
from orgs.models import Notification
from tests.awards.factories import ProjectFactory, entity, seen, workflow_year

TODAY = datetime.date(2031, 3, 1)


@pytest.fixture
def draft(personas):
    return workflow_year(by=personas.fgw_clerk)


def _submitted(draft, personas):
    return services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))


def _approved(draft, personas, approver):
    submitted = _submitted(draft, personas)
    return services.allocation_approve(allocation=submitted, by=approver, version=seen(submitted))


def _city(draft, personas, approver):
    approved = _approved(draft, personas, approver)
    return services.allocation_record_city_approval(
        allocation=approved,
        by=personas.city_office,
        document_no="双政办函〔2031〕1号",
        document_date=TODAY,
        version=seen(approved),
    )


@pytest.fixture
def second_approver():
    from orgs.roles import Role
    from tests.factories import make_user

    return make_user(Role.FGW_APPROVER, entity("市发展改革委"), username="approver2")


def test_submit_moves_draft_to_submitted_and_records_who_and_when(draft, personas):
    current = _submitted(draft, personas)
    assert current.status == AllocationStatus.SUBMITTED
    assert current.submitted_by == personas.fgw_clerk
    assert current.submitted_at is not None
    step = AllocationLog.objects.get(allocation=current, action="提交审批")
    assert (step.by, step.from_status, step.to_status) == (personas.fgw_clerk, "draft", "submitted")


def test_submit_notifies_the_approvers(draft, personas):
    _submitted(draft, personas)
    assert Notification.objects.filter(recipient=personas.fgw_approver, event="awards.submitted").count() == 1
    assert not Notification.objects.filter(recipient=personas.fgw_clerk, event="awards.submitted").exists()


def test_submit_twice_is_refused_with_the_status(draft, personas):
    _submitted(draft, personas)
    with pytest.raises(ValidationError) as exc:
        services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    assert "已提交待审批" in exc.value.messages[0]


def test_approve_by_another_user_moves_to_approved_and_notifies_city_office(draft, personas):
    current = _approved(draft, personas, personas.fgw_approver)
    assert current.status == AllocationStatus.APPROVED
    assert current.approved_by == personas.fgw_approver
    assert Notification.objects.filter(recipient=personas.city_office, event="awards.approved").exists()


def test_the_submitter_cannot_approve_even_holding_the_approver_role(draft, personas):
    """Four-eyes is checked on the user, not only the role."""
    personas.fgw_clerk.groups.add(personas.fgw_approver.groups.get())
    submitted = _submitted(draft, personas)
    with pytest.raises(ValidationError) as exc:
        services.allocation_approve(allocation=submitted, by=personas.fgw_clerk, version=seen(submitted))
    assert exc.value.messages == [services.FOUR_EYES]
    submitted.refresh_from_db()
    assert submitted.status == AllocationStatus.SUBMITTED


def test_approving_a_draft_is_refused(draft, personas):
    with pytest.raises(ValidationError) as exc:
        services.allocation_approve(allocation=draft, by=personas.fgw_approver, version=seen(draft))
    assert "不能审批通过" in exc.value.messages[0]


def test_return_needs_a_reason_and_goes_back_to_draft_notifying_the_submitter(draft, personas):
    submitted = _submitted(draft, personas)
    with pytest.raises(ValidationError):
        services.allocation_return(
            allocation=submitted, by=personas.fgw_approver, note=" ", version=seen(submitted)
        )
    current = services.allocation_return(
        allocation=submitted, by=personas.fgw_approver, note="请核对宝清县数据", version=seen(submitted)
    )
    assert current.status == AllocationStatus.DRAFT
    assert Notification.objects.filter(recipient=personas.fgw_clerk, event="awards.returned").exists()
    assert AllocationLog.objects.get(allocation=current, action="退回修改").note == "请核对宝清县数据"


def test_city_approval_records_document_and_notifies_finance(draft, personas):
    current = _city(draft, personas, personas.fgw_approver)
    assert current.status == AllocationStatus.CITY_APPROVED
    assert (current.city_document_no, current.city_document_date) == ("双政办函〔2031〕1号", TODAY)
    assert current.city_recorded_by == personas.city_office
    assert Notification.objects.filter(recipient=personas.finance, event="awards.city_approved").exists()


def test_city_approval_requires_document_number(draft, personas):
    approved = _approved(draft, personas, personas.fgw_approver)
    with pytest.raises(ValidationError) as exc:
        services.allocation_record_city_approval(
            allocation=approved,
            by=personas.city_office,
            document_no="",
            document_date=TODAY,
            version=seen(approved),
        )
    assert "document_no" in exc.value.error_dict


def test_city_approval_before_approval_is_refused(draft, personas):
    submitted = _submitted(draft, personas)
    with pytest.raises(ValidationError):
        services.allocation_record_city_approval(
            allocation=submitted,
            by=personas.city_office,
            document_no="x",
            document_date=TODAY,
            version=seen(submitted),
        )


def test_disbursing_every_paid_line_completes_the_allocation(draft, personas):
    current = _city(draft, personas, personas.fgw_approver)
    lines = list(services.payable_lines(current))
    assert len(lines) == 3  # 宝清县 and the two tiered 第二组 units; the third gets 0
    for number, line in enumerate(lines):
        services.line_disburse(line=line, by=personas.finance, paid_on=TODAY, voucher_no=f"PZ-{number}")
    current.refresh_from_db()
    assert current.status == AllocationStatus.DISBURSED
    assert Notification.objects.filter(recipient=personas.fgw_clerk, event="awards.disbursed").exists()
    assert AllocationLog.objects.filter(allocation=current, action="拨付").count() == 3


def test_disbursing_twice_is_refused(draft, personas):
    current = _city(draft, personas, personas.fgw_approver)
    line = services.payable_lines(current)[0]
    services.line_disburse(line=line, by=personas.finance, paid_on=TODAY, voucher_no="PZ-1")
    with pytest.raises(ValidationError) as exc:
        services.line_disburse(line=line, by=personas.finance, paid_on=TODAY, voucher_no="PZ-2")
    assert exc.value.messages == [services.ALREADY_DISBURSED]


def test_disbursing_before_city_approval_is_refused(draft, personas):
    approved = _approved(draft, personas, personas.fgw_approver)
    line = approved.lines.filter(final_amount__gt=0).first()
    with pytest.raises(ValidationError) as exc:
        services.line_disburse(line=line, by=personas.finance, paid_on=TODAY, voucher_no="PZ-1")
    assert "不能拨付" in exc.value.messages[0]


def test_adjustment_needs_a_reason_and_keeps_both_amounts(draft, personas):
    line = draft.lines.get(entity=entity("宝清县"))
    with pytest.raises(ValidationError):
        services.line_adjust(line=line, by=personas.fgw_clerk, amount=50, reason="", version=seen(line))
    services.line_adjust(
        line=line, by=personas.fgw_clerk, amount=50, reason="市政府批复调整", version=seen(line)
    )
    line.refresh_from_db()
    assert (line.final_amount, line.adjustment_reason) == (50, "市政府批复调整")
    assert line.computed_amount != 50


def test_adjustment_after_approval_is_refused(draft, personas):
    approved = _approved(draft, personas, personas.fgw_approver)
    line = approved.lines.get(entity=entity("宝清县"))
    with pytest.raises(ValidationError) as exc:
        services.line_adjust(line=line, by=personas.fgw_clerk, amount=50, reason="晚了", version=seen(line))
    assert exc.value.messages == [services.ADJUST_NOT_ALLOWED]


def test_adjustment_with_a_stale_version_is_refused(draft, personas):
    line = draft.lines.get(entity=entity("宝清县"))
    services.line_adjust(line=line, by=personas.fgw_clerk, amount=50, reason="一", version=draft.version)
    with pytest.raises(services.ConcurrentChange):
        services.line_adjust(line=line, by=personas.fgw_clerk, amount=60, reason="二", version=draft.version)


def test_approved_allocation_is_frozen_against_project_edits_and_recompute(draft, personas):
    approved = _approved(draft, personas, personas.fgw_approver)
    amounts = dict(approved.lines.values_list("entity_id", "final_amount"))
    project = Project.objects.filter(year=2030).first()
    project.actual_investment = project.planned_investment
    with pytest.raises(ValidationError) as exc:
        services.project_save(project=project, by=personas.reporter)
    assert "已锁定" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.allocation_compute(year=2030)
    with pytest.raises(ValidationError):
        services.project_save(project=ProjectFactory.build(year=2030, entity=entity("宝清县")))
    assert dict(approved.lines.values_list("entity_id", "final_amount")) == amounts


def test_recompute_of_a_submitted_allocation_is_refused(draft, personas):
    _submitted(draft, personas)
    with pytest.raises(ValidationError):
        services.allocation_compute(year=2030)


def test_revision_needs_a_reason_copies_the_lines_and_unlocks_the_year(draft, personas):
    approved = _approved(draft, personas, personas.fgw_approver)
    with pytest.raises(ValidationError):
        services.allocation_revise(allocation=approved, by=personas.fgw_clerk, reason="")
    new = services.allocation_revise(
        allocation=approved, by=personas.fgw_clerk, reason="更正市发展改革委数据"
    )
    assert (new.revision, new.status, new.reason) == (2, AllocationStatus.DRAFT, "更正市发展改革委数据")
    assert new.lines.count() == approved.lines.count()
    assert not services.year_is_locked(2030)
    approved.refresh_from_db()
    assert approved.status == AllocationStatus.APPROVED  # the approved snapshot stays as it was
    recomputed = services.allocation_compute(year=2030, by=personas.fgw_clerk)
    assert recomputed.pk == new.pk
    assert [s.action for s in recomputed.log.order_by("at", "pk")] == ["新建修订版本", "计算得分和分配"]


def test_revising_a_draft_is_refused(draft, personas):
    with pytest.raises(ValidationError) as exc:
        services.allocation_revise(allocation=draft, by=personas.fgw_clerk, reason="x")
    assert exc.value.messages == [services.REVISE_NOT_ALLOWED]


def test_history_lists_every_revision_and_step(draft, personas):
    approved = _approved(draft, personas, personas.fgw_approver)
    services.allocation_revise(allocation=approved, by=personas.fgw_clerk, reason="更正")
    revisions = services.allocation_history(2030)
    assert [r.revision for r in revisions] == [2, 1]
    assert [s.action for s in revisions[1].log.all()] == ["计算得分和分配", "提交审批", "审批通过", "被修订"]
    assert [s.action for s in revisions[0].log.all()] == ["新建修订版本"]


def test_every_transition_writes_a_history_row_with_the_user(draft, personas):
    current = _approved(draft, personas, personas.fgw_approver)
    users = list(current.history.order_by("history_date").values_list("history_user", flat=True))
    assert personas.fgw_clerk.pk in users and personas.fgw_approver.pk in users


def test_the_2019_archive_cannot_be_resubmitted_or_adjusted(personas):
    from awards.models import Allocation

    archive = Allocation.objects.get(year=2019)
    with pytest.raises(ValidationError):
        services.allocation_submit(allocation=archive, by=personas.fgw_clerk, version=seen(archive))
    with pytest.raises(ValidationError):
        services.line_adjust(
            line=archive.lines.first(),
            by=personas.fgw_clerk,
            amount=1,
            reason="x",
            version=seen(archive.lines.first()),
        )


def test_commands_refuse_an_approved_year_with_a_clear_message(draft, personas):
    import io

    from django.core.management import call_command

    _approved(draft, personas, personas.fgw_approver)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("awards_allocate", "--year", "2030", stderr=err)
    assert exit_.value.code == 1
    assert services.locked_message(2030) in err.getvalue()


def test_project_form_refuses_an_approved_year_with_a_message(client, draft, personas):
    _approved(draft, personas, personas.fgw_approver)
    project = Project.objects.get(year=2030, entity=entity("宝清县"))
    client.force_login(personas.reporter)
    response = client.post(
        f"/awards/projects/{project.pk}/",
        {
            "year": 2030,
            "name": project.name,
            "category": project.category,
            "planned_investment": "1",
            "actual_investment": "0",
            "started": "on",
        },
    )
    assert services.locked_message(2030) in response.content.decode()
    project.refresh_from_db()
    assert project.planned_investment != 1


def test_each_step_e_mails_the_next_role_after_commit(
    draft, personas, mailoutbox, django_capture_on_commit_callbacks
):
    personas.fgw_approver.email = "approver@example.org"
    personas.fgw_approver.save()
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(draft, personas)
    assert [m.to for m in mailoutbox] == [["approver@example.org"]]
    assert "已提交，请审批" in mailoutbox[0].body
