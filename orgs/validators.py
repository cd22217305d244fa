"""Field validators shared by every app: on the model fields, so forms, the admin and imports all obey."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme

NOT_INTERNAL = "链接只能是本平台内的路径（以单个 / 开头）。"


def is_internal_path(url: str) -> bool:
    """A path on this site: one leading "/", no scheme, no host, no control or space character.

    "//host/x" and "/\\host/x" are read by browsers as another host; "javascript:..." is no path at all.
    """
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def validate_internal_path(url: str) -> None:
    if url and not is_internal_path(url):
        raise ValidationError(NOT_INTERNAL, code="not_internal")


#: Every business date of the platform lies in these years: a typo such as 0202 or 9999 is refused at entry
#: (forms, the admin, imports) instead of sorting to the top of every list and every export.
FIRST_YEAR, LAST_YEAR = 2000, 2100
DATE_OUT_OF_RANGE = "日期须在 {first} 年至 {last} 年之间。"


def validate_business_date(value) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            DATE_OUT_OF_RANGE.format(first=FIRST_YEAR, last=LAST_YEAR), code="date_out_of_range"
        )


#: The longest text one Excel cell holds; every text field's limit stays below it, so an export never
#: writes a cell Excel truncates or refuses.
EXCEL_CELL_LIMIT = 32_767
#: Reasons, notes, comments: a paragraph or two.
SHORT_TEXT = 2_000
#: Descriptions, findings, reports, decisions: a few pages.
LONG_TEXT = 10_000
#: Log rows that quote a long text after a label (who, which unit, which ground).
LOG_TEXT = 12_000
