"""Checks every upload passes before anything parses it (platform.md, "Bad input and safety").

Type is judged by content, never by the file name; an xlsx is checked as a zip for bombs before openpyxl
opens it: total uncompressed size, entry count and compression ratio (real workbooks compress 13–27×).
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File

TOO_LARGE = "文件过大：不能超过 {limit} MB。"
EMPTY_FILE = "文件为空。"
NOT_XLSX = "文件不是有效的 Excel（.xlsx）工作簿，请用 Excel 另存为 .xlsx 后重新上传。"
ZIP_BOMB = "文件解压后异常巨大或结构异常，已拒绝处理（疑似压缩炸弹）。"
BAD_TYPE = "文件类型不允许：只接受 PDF、JPG、PNG 图片或 Excel（.xlsx）文件。"

XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XLSX_MAX_ENTRIES = 2000
XLSX_MAX_RATIO = 100

PDF, JPEG, PNG, XLSX = "pdf", "jpeg", "png", "xlsx"
EVIDENCE_KINDS = (PDF, JPEG, PNG, XLSX)
#: A file is stored and served under the extension and type of what its content is, never the uploader's:
#: checked PDF content named x.exe, x.hta or x.html must not reach a browser or a desktop as one.
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", XLSX: "xlsx"}
CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNKNOWN_TYPE = "application/octet-stream"
UNKNOWN_EXTENSION = "bin"


def _head(upload, n: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def check_size(upload, limit: int | None = None) -> None:
    limit = limit or settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(EMPTY_FILE, code="empty")
    if upload.size > limit:
        raise ValidationError(TOO_LARGE.format(limit=limit // (1024 * 1024)), code="too_large")


def sniff(upload) -> str | None:
    """The file's real type from its first bytes, or None."""
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return XLSX if _is_xlsx(upload) else None
    return None


def _is_xlsx(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def check_xlsx(upload) -> None:
    """Raise ``ValidationError`` unless ``upload`` is a sane xlsx workbook; leaves it rewound."""
    check_size(upload)
    if not _head(upload, 4).startswith(b"PK\x03\x04") or not _is_xlsx(upload):
        raise ValidationError(NOT_XLSX, code="not_xlsx")
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(NOT_XLSX, code="not_xlsx") from exc
    finally:
        upload.seek(0)
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if len(entries) > XLSX_MAX_ENTRIES or total > XLSX_MAX_UNCOMPRESSED or total / packed > XLSX_MAX_RATIO:
        raise ValidationError(ZIP_BOMB, code="zip_bomb")


def check_evidence(upload, allowed: tuple[str, ...] = EVIDENCE_KINDS) -> str:
    """Evidence files (佐证材料): PDF, images or xlsx, judged by content. Returns the detected kind."""
    check_size(upload)
    kind = sniff(upload)
    if kind not in allowed:
        raise ValidationError(BAD_TYPE, code="bad_type")
    if kind == XLSX:
        check_xlsx(upload)
    return kind


def stored_upload(upload, kind: str) -> File:
    """The checked ``upload`` under a random name with its detected type's extension, for a FileField."""
    upload.seek(0)
    return File(upload, name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}")


def download_name(name: str, kind: str | None) -> str:
    """``name`` (the uploader's, or the stored one) with the extension of the content's real type."""
    stem = PurePosixPath((name or "").replace("\\", "/")).stem or "file"
    return f"{stem}.{EXTENSIONS.get(kind, UNKNOWN_EXTENSION)}"
