"""The workflow pages: buttons per role, refusals with clear messages, history, clawbacks, query counts."""

import datetime

import pytest

from awards import services
from awards.models import AllocationStatus, Clawback, Disqualification, Ground
from tests.awards.factories import entity, pdf, seen, workflow_year

DAY = "2031-03-01"


@pytest.fixture
def draft(personas):
    return workflow_year(by=personas.fgw_clerk)


def _page(client, user, year=2030):
    client.force_login(user)
    return client.get(f"/awards/{year}/")


def test_clerk_sees_the_submit_button_with_a_confirmation(client, personas, draft):
    html = _page(client, personas.fgw_clerk).content.decode()
    assert 'id="submit-button"' in html
    assert "data-confirm=" in html
    assert "发改委经办（核对后提交审批）" in html


def test_leader_sees_the_allocation_but_no_workflow_button(client, personas, draft):
    html = _page(client, personas.leader).content.decode()
    for button in ("submit-button", "approve-button", "city-button"):
        assert button not in html


def test_leader_cannot_post_any_workflow_step(client, personas, draft):
    client.force_login(personas.leader)
    line = draft.lines.first()
    for url in (
        "/awards/2030/submit/",
        "/awards/2030/approve/",
        "/awards/2030/city-approval/",
        "/awards/2030/revise/",
        f"/awards/lines/{line.pk}/adjust/",
        f"/awards/lines/{line.pk}/disburse/",
    ):
        assert client.post(url, {}).status_code == 403


def test_submit_through_the_page_changes_status(client, personas, draft):
    client.force_login(personas.fgw_clerk)
    response = client.post("/awards/2030/submit/", {"version": draft.version}, follow=True)
    assert "已提交审批" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AllocationStatus.SUBMITTED


def test_a_stale_page_gets_the_concurrency_message(client, personas, draft):
    client.force_login(personas.fgw_clerk)
    stale = draft.version
    services.line_adjust(
        line=draft.lines.first(),
        by=personas.fgw_clerk,
        amount=3,
        reason="先改",
        version=seen(draft.lines.first()),
    )
    response = client.post("/awards/2030/submit/", {"version": stale}, follow=True)
    assert "刚被其他用户处理或修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AllocationStatus.DRAFT


def test_the_submitter_is_told_that_someone_else_must_approve(client, personas, draft):
    personas.fgw_clerk.groups.add(personas.fgw_approver.groups.get())
    services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    html = _page(client, personas.fgw_clerk).content.decode()
    assert "须由另一位发改委审批人员审批" in html
    assert 'id="approve-button" disabled' in html
    response = client.post("/awards/2030/approve/", {}, follow=True)
    assert services.FOUR_EYES in response.content.decode()


def test_city_approval_form_shows_field_errors(client, personas, draft):
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    client.force_login(personas.city_office)
    response = client.post("/awards/2030/city-approval/", {"document_no": "", "document_date": DAY})
    assert response.status_code == 200
    assert response.context["city_form"].errors["document_no"]


def test_adjust_form_requires_a_reason_next_to_the_field(client, personas, draft):
    line = draft.lines.get(entity=entity("宝清县"))
    client.force_login(personas.fgw_clerk)
    response = client.post(
        f"/awards/lines/{line.pk}/adjust/", {"amount": 5, "reason": "", "version": draft.version}
    )
    assert response.context["adjust_form"].errors["reason"]
    line.refresh_from_db()
    assert line.final_amount != 5


def test_disqualify_through_the_page_stores_the_document_for_readers_only(client, personas, draft):
    line = draft.lines.get(entity=entity("宝清县"))
    client.force_login(personas.fgw_clerk)
    response = client.post(
        f"/awards/lines/{line.pk}/disqualify/",
        {
            "ground": Ground.ACCIDENT,
            "description": "发生较大安全事故",
            "document": pdf(),
            "version": draft.version,
        },
    )
    assert response.status_code == 302
    record = Disqualification.objects.get(line=line)
    client.force_login(personas.finance)
    download = client.get(f"/awards/disqualifications/{record.pk}/document/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    client.force_login(personas.reporter)
    assert client.get(f"/awards/disqualifications/{record.pk}/document/").status_code == 403


def test_disqualify_rejects_a_document_that_is_not_an_allowed_type(client, personas, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = draft.lines.get(entity=entity("宝清县"))
    client.force_login(personas.fgw_clerk)
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(
        f"/awards/lines/{line.pk}/disqualify/",
        {"ground": Ground.ACCIDENT, "description": "x", "document": bad},
    )
    assert response.context["disqualify_form"].errors["document"]
    assert not Disqualification.objects.exists()


def test_finance_disburses_from_the_line_page(client, personas, draft):
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no="批复",
        document_date=datetime.date(2031, 1, 1),
        version=seen(current),
    )
    line = current.lines.get(entity=entity("宝清县"))
    client.force_login(personas.finance)
    page = client.get(f"/awards/2030/entity/{line.entity_id}/")
    assert 'id="disburse-button"' in page.content.decode()
    client.post(f"/awards/lines/{line.pk}/disburse/", {"paid_on": DAY, "voucher_no": "PZ-9"})
    line.refresh_from_db()
    assert (str(line.disbursed_on), line.voucher_no, line.disbursed_by) == (DAY, "PZ-9", personas.finance)


def test_history_page_lists_revisions_and_steps_with_who(client, personas, draft):
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    services.allocation_revise(allocation=current, by=personas.fgw_clerk, reason="更正市水务局数据")
    client.force_login(personas.leader)
    html = client.get("/awards/2030/history/").content.decode()
    assert "第2版" in html and "第1版" in html
    assert "更正市水务局数据" in html
    assert "审批通过" in html and "fgw_approver" in html


def test_history_of_2019_shows_the_archive_source(client, personas):
    client.force_login(personas.fgw_clerk)
    html = client.get("/awards/2019/history/").content.decode()
    assert "双政办发〔2020〕15号" in html and "公报存档" in html


def _clawbacks(personas, count):
    """``count`` pending clawbacks on one 第一组 line each of ``count`` years."""
    from awards.models import Allocation, AllocationLine

    for n in range(count):
        allocation = Allocation.objects.create(
            year=2100 - n, rate=1, status=AllocationStatus.DISBURSED, revision=1
        )
        line = AllocationLine.objects.create(
            allocation=allocation, entity=entity("宝清县"), group=1, final_amount=7
        )
        record = Disqualification.objects.create(
            line=line,
            ground=Ground.FRAUD,
            description="x",
            document="awards_documents/x.pdf",
            by=personas.fgw_clerk,
        )
        Clawback.objects.create(line=record.line, disqualification=record, amount=7)


@pytest.mark.parametrize("count", [3, 30])
def test_clawback_list_query_count_does_not_grow(client, personas, count, django_assert_max_num_queries):
    _clawbacks(personas, count)
    client.force_login(personas.finance)
    # session, user, user's groups (role check), user's groups (can_recover), clawbacks with line, entity,
    # allocation and disqualification joined, plus the base template's notification count and 待办 checks
    with django_assert_max_num_queries(12):
        response = client.get("/awards/clawbacks/")
    assert len(response.context["clawbacks"]) == count


def test_finance_records_a_recovery_from_the_list(client, personas):
    _clawbacks(personas, 1)
    clawback = Clawback.objects.get()
    client.force_login(personas.finance)
    client.post(f"/awards/clawbacks/{clawback.pk}/recover/", {"recovered_on": DAY, "voucher_no": "SH-1"})
    clawback.refresh_from_db()
    assert clawback.status == "recovered"


def test_todo_shows_whose_turn_it_is_for_each_role(personas, draft):
    from awards import todo

    assert [i.waiting_for for i in todo.items(personas.fgw_clerk)] == ["发改委经办（核对后提交审批）"]
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    assert todo.items(personas.fgw_clerk) == []
    assert [i.waiting_for for i in todo.items(personas.fgw_approver)] == ["发改委审批（审批或退回）"]
    services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    assert [i.waiting_for for i in todo.items(personas.city_office)] == ["市政府办公室（登记市政府批复）"]
    assert todo.items(personas.leader) == []


def test_the_2019_archive_is_shown_on_a_new_install(client, personas):
    client.force_login(personas.leader)
    response = client.get("/awards/2019/")
    html = response.content.decode()
    assert "已批复" in html and "双政办发〔2020〕15号" in html
    line = next(x for x in response.context["group1"] if x.entity.name == "友谊县")
    assert (line.converted_score, line.computed_amount, line.final_amount) == (18, 82, 83)
