import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from orgs.exporting import export_request, export_run
from orgs.models import ExportJob, Notification, Organization


@pytest.fixture
def job(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return export_request(kind="orgs.directory", params={}, by=personas.leader)


def test_an_export_is_built_by_the_worker_and_notifies_the_requester_once(job, personas):
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.progress == job.total == Organization.objects.count()
    assert Notification.objects.filter(recipient=personas.leader, event="export.done").count() == 1


def test_the_export_lists_what_the_requester_may_see(job):
    job.refresh_from_db()
    ws = load_workbook(job.file.path, read_only=True)["组织机构名录"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "名称")
    assert len(rows) - 1 == Organization.objects.count()


def test_a_finished_export_is_not_built_again(job):
    assert export_run(job.pk) is None
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_redelivered_running_export_is_rebuilt_into_one_file(job, personas):
    # A worker died mid-export: the job is still "running" when the broker hands the task out again.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    rerun = export_run(job.pk)
    assert rerun.status == ExportJob.Status.DONE and rerun.attempts == 2
    files = list(Path(job.file.storage.path(f"exports/{job.pk}")).iterdir())
    assert [f.name for f in files] == ["组织机构名录.xlsx"]
    assert Notification.objects.filter(recipient=personas.leader, event="export.done").count() == 1


def test_the_download_is_the_workbook(client, job, personas):
    client.force_login(personas.leader)
    response = client.get(f"/exports/{job.pk}/download/")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["组织机构名录"]


def test_the_status_feeds_the_progress_bar(client, job, personas):
    client.force_login(personas.leader)
    assert client.get(f"/exports/{job.pk}/status/").json()["percent"] == 100
