"""Pages that show people the way: the icon, names instead of login names, a date default the date field
accepts, a refused form that says so at the top, an export that says 已完成 when done, menus by permission."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from orgs.exporting import export_request, export_run
from orgs.menu import may_open
from orgs.models import ExportJob
from orgs.people import person_name
from sprouts.choices import Source, Stage


def test_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_people_are_named_by_their_name_not_their_login(db):
    person = get_user_model()(username="zhang_login", first_name="张三")
    assert person_name(person) == "张三"
    assert person_name(get_user_model()(username="no_name")) == "no_name"


def test_new_case_form_offers_today_in_the_format_the_date_field_accepts(client, personas):
    client.force_login(personas.market)
    page = client.get(reverse("sprouts:case_create")).content.decode()
    field = re.search(r'<input[^>]*name="found_on"[^>]*>', page).group(0)
    assert f'value="{timezone.localdate().isoformat()}"' in field


def test_refused_form_announces_its_errors_at_the_top(client, personas):
    client.force_login(personas.market)
    response = client.post(
        reverse("sprouts:case_create"),
        {"source": Source.INSPECTION, "stage": Stage.CATERING, "found_on": "2099-01-01"},
    )
    page = response.content.decode()
    summary = re.search(
        r'<div class="alert alert-danger[^"]*" role="alert" id="form-errors">(.*?)</div>', page, re.S
    )
    assert summary is not None
    assert 'href="#id_found_on"' in summary.group(1) and "日期不能晚于今天" in summary.group(1)


def test_finished_export_says_done_without_a_row_count(client, personas):
    job = export_request(kind="orgs.directory", params={}, by=personas.reporter)
    export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    client.force_login(personas.reporter)
    page = client.get(reverse("orgs:export_detail", args=[job.pk])).content.decode()
    assert '<span id="export-status">已完成</span><span id="export-rows"></span>' in page


def test_menus_ask_the_roles_each_view_declares(personas):
    # 考核组 works in 招商引资考核 but not in 豆芽 statistics or the 问责 of 企业首席服务员.
    assert may_open(personas.assessor, "investment:spotcheck_list")
    assert not may_open(personas.assessor, "sprouts:statistics")
    assert not may_open(personas.leader, "chiefservice:case_list")
    assert may_open(personas.business_office, "chiefservice:case_list")


def test_app_tabs_leave_out_pages_the_role_may_not_open(client, personas):
    client.force_login(personas.market)
    page = client.get(reverse("investment:target_list")).content.decode()
    assert reverse("investment:target_list") in page
    assert reverse("investment:project_list") not in page
    assert client.get(reverse("investment:project_list")).status_code == 403
