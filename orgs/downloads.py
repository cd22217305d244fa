"""The one response for a generated file: served as an attachment under its Chinese name.

The name is written the way browsers read it (RFC 6266 / RFC 5987: ``filename*=utf-8''<percent-encoded>``,
Django's ``content_disposition_header``, the same header as ``FileResponse(as_attachment=True,
filename=...)``), so 2019年全市百大项目建设奖励资金分配表.xlsx arrives under that name, not as download.xlsx.
The file is built in memory already, so the response carries it whole.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .uploads import CONTENT_TYPES, UNKNOWN_TYPE, download_name, sniff
from .xlsx import CONTENT_TYPE as XLSX

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, filename, XLSX)


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, filename, DOCX)


def evidence_response(stored, name: str = "") -> FileResponse:
    """An uploaded file (佐证材料, 证据材料, 相关文件), always as an attachment under its content's type.

    The type is sniffed from the stored bytes, so a file stored before names followed content is served
    right too; ``nosniff`` stops a browser from second-guessing the declared type.
    """
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    kind = sniff(handle)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(name or stored.name, kind),
        content_type=CONTENT_TYPES.get(kind, UNKNOWN_TYPE),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
