"""Large exports through Celery: apps register exporters; a worker builds the file; the user downloads it.

An app registers in its ``exports.py`` (imported by ``autodiscover``)::

    exporting.register("chiefservice.ledger_year", title=..., count=..., build=...)

``build(params, user, path, progress)`` writes the workbook to ``path`` with ``orgs.xlsx.write_workbook``
(the one writer, which calls ``progress(rows_written)`` now and then). ``export_run`` is idempotent: a redelivered task (worker killed
mid-export, ``acks_late`` + ``reject_on_worker_lost``) rebuilds into a temporary file of the worker and
stores it (default storage: the local disk or the object store) under the job's one name, replacing what
an earlier run stored, so there is always exactly one file and one notification per job.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from celery import shared_task
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import ExportJob
from .notifications import notify
from .workflow import ConcurrentChange, guarded_write

UNKNOWN_EXPORT = "未知的导出类型。"


@dataclass(frozen=True)
class Exporter:
    kind: str
    title: Callable[[dict], str]
    build: Callable  # (params, user, path, progress) -> None
    count: Callable | None = None  # (params, user) -> int, for the progress bar
    filename: Callable[[dict], str] | None = None


_EXPORTERS: dict[str, Exporter] = {}


def register(kind: str, *, title, build, count=None, filename=None) -> Exporter:
    exporter = Exporter(kind=kind, title=title, build=build, count=count, filename=filename)
    _EXPORTERS[kind] = exporter
    return exporter


def autodiscover() -> None:
    """Import every app's ``exports.py``, where the app registers its exporters."""
    autodiscover_modules("exports")


def exporter_for(kind: str) -> Exporter:
    autodiscover()
    try:
        return _EXPORTERS[kind]
    except KeyError:
        raise ValueError(UNKNOWN_EXPORT) from None


@transaction.atomic
def export_request(*, kind: str, params: dict, by) -> ExportJob:
    """Queue an export for ``by``; the worker starts once this transaction commits."""
    exporter = exporter_for(kind)
    job = ExportJob.objects.create(kind=kind, title=exporter.title(params), params=params, requested_by=by)
    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job


def _final_name(job: ExportJob, exporter: Exporter) -> str:
    stem = exporter.filename(job.params) if exporter.filename else job.title
    return f"exports/{job.pk}/{stem}.xlsx"


@shared_task(name="orgs.tasks.run_export", acks_late=True, reject_on_worker_lost=True)
def run_export(job_id: int) -> None:
    export_run(job_id)


def export_run(job_id: int) -> ExportJob | None:
    # Claim: a queued job, or a running one whose worker died (the broker redelivered it).
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        return None
    try:
        guarded_write(
            job,
            by=None,
            reason="开始导出",
            expect={"status__in": [ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]},
            values={"status": ExportJob.Status.RUNNING, "attempts": F("attempts") + 1, "progress": 0},
        )
    except ConcurrentChange:
        return None
    exporter = exporter_for(job.kind)
    name = _final_name(job, exporter)
    if exporter.count is not None:
        ExportJob.objects.filter(pk=job.pk).update(total=exporter.count(job.params, job.requested_by))

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=rows)

    # The workbook is built in the worker's own temporary folder and only stored whole: a worker killed
    # mid-write leaves nothing in the shared storage, and its redelivered run replaces the one stored name.
    try:
        with tempfile.TemporaryDirectory(prefix="export-") as scratch:
            partial = Path(scratch) / "export.xlsx"
            exporter.build(job.params, job.requested_by, partial, progress)
            default_storage.delete(name)
            with partial.open("rb") as built:
                name = default_storage.save(name, File(built))
    except Exception as exc:
        guarded_write(
            job,
            by=None,
            reason="导出失败",
            values={
                "status": ExportJob.Status.FAILED,
                "error": str(exc)[:2000],
                "finished_at": timezone.now(),
            },
        )
        raise
    with transaction.atomic():
        try:
            guarded_write(
                job,
                by=None,
                reason="导出完成",
                expect={"status": ExportJob.Status.RUNNING},
                values={"status": ExportJob.Status.DONE, "file": name, "finished_at": timezone.now()},
            )
        except ConcurrentChange:
            pass  # failed or finished meanwhile by a redelivered run: its result stands
        else:
            notify(
                "export.done",
                text=f"导出文件已生成：{job.title}",
                url=reverse("orgs:export_detail", args=[job.pk]),
                key=f"export:{job.pk}",
                users=[job.requested_by],
            )
    return ExportJob.objects.get(pk=job.pk)
