"""The one response for a generated file: served as an attachment under its Chinese name.

The name is written the way browsers read it (RFC 6266 / RFC 5987: ``filename*=utf-8''<percent-encoded>``,
Django's ``content_disposition_header``, the same header as ``FileResponse(as_attachment=True,
filename=...)``), so 2019年全市百大项目建设奖励资金分配表.xlsx arrives under that name, not as download.xlsx.
The file is built in memory already, so the response carries it whole.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

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
