"""Files on an S3-compatible object store (moto's server on a loopback port): uploads and exports are stored
there and not on the disk, downloads stay behind the views' access checks, and the sweep, the backup and the
restore work on the bucket."""

import io
import socket
import uuid
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from moto.server import ThreadedMotoServer
from openpyxl import load_workbook

from config.settings import s3_storage
from orgs import backup, media
from orgs.exporting import export_request
from sprouts import services
from tests.sprouts.factories import CaseFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class Rollback(Exception):
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A fresh private bucket per test, the default storage pointed at it."""
    monkeypatch.setenv("STORAGE_ACCESS_KEY", "test-key")
    monkeypatch.setenv("STORAGE_SECRET_KEY", "test-secret")
    name = f"platform-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(f"{s3_endpoint}/{name}")}
    return boto3.resource(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    ).Bucket(name)


def keys(bucket) -> set[str]:
    return {item.key for item in bucket.objects.all()}


def evidence(case, by, name="photo.png", content=PNG):
    return services.evidence_add(case=case, by=by, upload=SimpleUploadedFile(name, content))


def test_an_upload_is_stored_in_the_bucket_not_on_the_disk(bucket, personas, settings):
    stored = evidence(CaseFactory(by=personas.market), personas.market)

    assert keys(bucket) == {stored.file.name}
    assert bucket.Object(stored.file.name).get()["Body"].read() == PNG
    assert not Path(settings.MEDIA_ROOT).exists()


def test_a_download_is_streamed_to_the_case_office_only(bucket, client, personas):
    stored = evidence(CaseFactory(by=personas.market), personas.market, "抽检报告.png")
    url = reverse("sprouts:evidence_download", args=[stored.pk])

    client.force_login(personas.market)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"

    client.force_login(personas.other_market)
    assert client.get(url).status_code == 404


def test_an_export_is_built_into_the_bucket_and_downloaded_by_its_owner_only(
    bucket, client, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(kind="orgs.directory", params={}, by=personas.leader)
    job.refresh_from_db()
    assert keys(bucket) == {job.file.name}

    client.force_login(personas.leader)
    response = client.get(f"/exports/{job.pk}/download/")
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).sheetnames == ["组织机构名录"]
    client.force_login(personas.market)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_the_sweep_removes_a_rolled_back_upload_from_the_bucket(bucket, personas):
    case = CaseFactory(by=personas.market)
    kept = evidence(case, personas.market)
    with pytest.raises(Rollback), transaction.atomic():
        evidence(case, personas.market, "lost.png")
        raise Rollback
    assert len(keys(bucket)) == 2
    assert media.sweep() == []  # both are younger than the grace period

    removed = media.sweep(older_than=timedelta(0))

    assert len(removed) == 1
    assert keys(bucket) == {kept.file.name}


def test_backup_and_restore_bring_back_the_bucket_files(bucket, personas, tmp_path):
    case = CaseFactory(by=personas.market)
    first = evidence(case, personas.market, "a.png", PNG + b"a")
    second = evidence(case, personas.market, "b.png", PNG + b"b")
    backup.archive_media(tmp_path / "media.tar.gz")
    default_storage.delete(first.file.name)
    default_storage.save("stray/after-backup.png", ContentFile(PNG))

    backup.restore_media(tmp_path / "media.tar.gz")

    assert keys(bucket) == {first.file.name, second.file.name}
    assert bucket.Object(first.file.name).get()["Body"].read() == PNG + b"a"
    assert bucket.Object(second.file.name).get()["Body"].read() == PNG + b"b"


def test_a_backup_of_the_bucket_restores_onto_the_local_disk(bucket, personas, settings, tmp_path):
    stored = evidence(CaseFactory(by=personas.market), personas.market)
    backup.archive_media(tmp_path / "media.tar.gz")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }

    backup.restore_media(tmp_path / "media.tar.gz")

    assert (Path(settings.MEDIA_ROOT) / stored.file.name).read_bytes() == PNG
