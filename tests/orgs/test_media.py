"""Uploads left on disk by a rolled-back transaction are swept; files rows or history point to are kept."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from config.celery import app as celery_app
from orgs import media
from sprouts import services
from sprouts.models import Evidence
from tests.sprouts.factories import CaseFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class Rollback(Exception):
    pass


def stored_files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file()}


def age(root, hours: float) -> None:
    then = time.time() - hours * 3600
    for path in Path(root).rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


def evidence(case, by, name="photo.png"):
    return services.evidence_add(case=case, by=by, upload=SimpleUploadedFile(name, PNG))


def test_a_rolled_back_upload_is_swept_and_a_committed_one_kept(personas, settings):
    case = CaseFactory(by=personas.market)
    kept = evidence(case, personas.market)
    with pytest.raises(Rollback), transaction.atomic():
        evidence(case, personas.market, "lost.png")
        raise Rollback
    assert Evidence.objects.count() == 1
    assert len(stored_files(settings.MEDIA_ROOT)) == 2  # the rolled-back upload is still on disk
    age(settings.MEDIA_ROOT, hours=7)

    removed = media.sweep()

    assert len(removed) == 1
    assert stored_files(settings.MEDIA_ROOT) == {kept.file.name}


def test_a_file_named_only_by_history_is_kept(personas, settings):
    case = CaseFactory(by=personas.market)
    deleted = evidence(case, personas.market)
    name = deleted.file.name
    deleted.delete()  # e.g. by an administrator: the history row still points to the file
    age(settings.MEDIA_ROOT, hours=7)

    assert media.sweep() == []
    assert name in stored_files(settings.MEDIA_ROOT)


def test_recent_files_are_left_for_transactions_still_in_flight(personas, settings):
    case = CaseFactory(by=personas.market)
    with pytest.raises(Rollback), transaction.atomic():
        evidence(case, personas.market)
        raise Rollback
    assert media.sweep() == []
    assert media.sweep(older_than=timedelta(0)) != []


def test_the_command_lists_without_deleting_on_a_dry_run(personas, settings, capsys):
    case = CaseFactory(by=personas.market)
    with pytest.raises(Rollback), transaction.atomic():
        evidence(case, personas.market)
        raise Rollback
    age(settings.MEDIA_ROOT, hours=7)

    call_command("sweep_media", "--dry-run")

    assert "应清理 1 个无引用文件" in capsys.readouterr().out
    assert len(stored_files(settings.MEDIA_ROOT)) == 1


def test_every_scheduled_task_is_registered():
    celery_app.loader.import_default_modules()
    for entry in celery_app.conf.beat_schedule.values():
        assert entry["task"] in celery_app.tasks, entry["task"]
