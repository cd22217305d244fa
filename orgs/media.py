"""Stored files that no row points to, and their removal.

An upload is written to disk when its row is saved, inside the caller's transaction; when that transaction
rolls back, the row disappears and the file stays. Django has no rollback hook, so a daily sweep removes
files that no row — current or historical — names, once they are older than any transaction or export in
flight could be (``GRACE``). Files named only by history rows are kept: the audit trail still points to them.
The same sweep ends abandoned import previews (``awards_imports/``) and the partial files of export workers
that were killed mid-write. It walks the default storage (the local disk or the object store alike).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

GRACE = timedelta(hours=6)


def _file_columns() -> Iterator[tuple[type[models.Model], str]]:
    """(model, column) for every file field, and the same column of the model's history table."""
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not columns:
            continue
        history_attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        history = getattr(model, history_attribute).model if history_attribute else None
        for column in columns:
            yield model, column
            if history is not None:
                yield history, column


def referenced_names() -> set[str]:
    """Every stored file name a row of any model (or of its history) points to."""
    names: set[str] = set()
    for model, column in _file_columns():
        rows = model._default_manager.exclude(**{column: ""}).exclude(**{f"{column}__isnull": True})
        names.update(rows.values_list(column, flat=True).iterator(chunk_size=5000))
    return names


def stored_files(storage: Storage | None = None) -> Iterator[tuple[str, datetime]]:
    """(name, last written) of every file in ``storage`` (the default storage when not given)."""
    storage = storage or default_storage
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        # An object store lists every key with its time in one paged call, not one request per file.
        prefix = f"{storage.location.strip('/')}/" if storage.location else ""
        for item in bucket.objects.filter(Prefix=prefix):
            yield item.key[len(prefix) :], item.last_modified
        return
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        pending.extend(f"{folder}{name}/" for name in folders)
        for name in files:
            yield f"{folder}{name}", storage.get_modified_time(f"{folder}{name}")


def orphans(*, older_than: timedelta = GRACE) -> list[str]:
    """Names of the stored files, last written before ``older_than`` ago, that no row names."""
    cutoff = timezone.now() - older_than
    referenced = referenced_names()
    return sorted(name for name, written in stored_files() if written < cutoff and name not in referenced)


def sweep(*, older_than: timedelta = GRACE, dry_run: bool = False) -> list[str]:
    """Remove the orphans (see module doc) and return their names."""
    found = orphans(older_than=older_than)
    if not dry_run:
        for name in found:
            default_storage.delete(name)
    return found
