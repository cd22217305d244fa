"""发文字号: allocating an office's next number when a paper is issued, and finding it again afterwards.

A paper is issued once (``issue``); downloads read the issued number back (``issued``), so a paper keeps its
number however often it is printed. Numbers run per 机关代字 and year (GB/T 9704-2012 7.2.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import IssuedPaper

DOCUMENT_NO = re.compile(r"^(?P<prefix>\D+)〔(?P<year>\d{4})〕(?P<number>\d+)号$")
ATTEMPTS = 5  # two offices issuing at once: the loser of the unique number takes the next one


@dataclass(frozen=True)
class Series:
    """One document type's series (``settings.DOCUMENT_SERIES``)."""

    key: str
    prefix: str
    printer: str  # 印发机关 (7.4.3)
    copy_to: str  # 抄送机关 (7.4.2), empty when the type of paper is copied to nobody


def series(key: str) -> Series:
    entry = settings.DOCUMENT_SERIES[key]
    return Series(key, entry["prefix"], entry["printer"], entry.get("copy_to", ""))


def issued(key: str, subject: str) -> IssuedPaper | None:
    return IssuedPaper.objects.filter(series=key, subject=subject).first()


def issue(key: str, subject: str, *, title: str, by=None, on=None) -> IssuedPaper:
    """The paper ``subject`` of type ``key`` as issued: the number it already has, else the next of its series'
    机关代字 in the year of issue (``on``, today's Beijing date by default)."""
    found = issued(key, subject)
    if found is not None:
        return found
    day = on or timezone.localdate()
    prefix = series(key).prefix
    for _attempt in range(ATTEMPTS):
        last = IssuedPaper.objects.filter(prefix=prefix, year=day.year).aggregate(m=Max("number"))["m"] or 0
        try:
            with transaction.atomic():
                return IssuedPaper.objects.create(
                    series=key,
                    subject=subject,
                    prefix=prefix,
                    year=day.year,
                    number=last + 1,
                    title=title,
                    issued_on=day,
                    issued_by=by,
                )
        except IntegrityError:
            found = issued(key, subject)  # issued meanwhile by someone else: the same paper, its number
            if found is not None:
                return found
    raise IntegrityError(f"no free number in {prefix} {day.year} after {ATTEMPTS} attempts")


def record(key: str, subject: str, *, document_no: str, title: str, issued_on) -> IssuedPaper:
    """A paper issued outside the platform (the gazette's), entered with its number as printed."""
    parts = DOCUMENT_NO.match(document_no)
    if parts is None:
        raise ValueError(f"not a 发文字号: {document_no}")
    paper, _ = IssuedPaper.objects.get_or_create(
        series=key,
        subject=subject,
        defaults={
            "prefix": parts["prefix"],
            "year": int(parts["year"]),
            "number": int(parts["number"]),
            "title": title,
            "issued_on": issued_on,
        },
    )
    return paper
