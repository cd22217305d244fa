"""Uploaded evidence is stored and served under the type its content has, never the uploader's extension:
checked PDF content named .exe, .hta or .html is stored as .pdf and downloads as an attachment named .pdf,
typed application/pdf, with nosniff — through each app's upload page and download link."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import Disqualification, Ground
from chiefservice.models import AccountabilityCase
from investment.models import Evidence as InvestmentEvidence
from sprouts.models import Case
from tests.awards.factories import entity, workflow_year
from tests.chiefservice.factories import OfficerFactory
from tests.investment.factories import ProjectFactory, org
from tests.sprouts.factories import intake_data

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def disguised(name: str, content: bytes = PDF, content_type: str = "application/x-msdownload"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def assert_served_as(response, extension: str, content_type: str):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'.{extension}"' in disposition or f".{extension}" in disposition.rsplit("''", 1)[-1]
    assert ".exe" not in disposition and ".hta" not in disposition and ".html" not in disposition
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"


def test_awards_disqualification_document_named_exe_is_stored_and_served_as_pdf(client, personas):
    draft = workflow_year(by=personas.fgw_clerk)
    line = draft.lines.get(entity=entity("宝清县"))
    client.force_login(personas.fgw_clerk)
    response = client.post(
        f"/awards/lines/{line.pk}/disqualify/",
        {
            "ground": Ground.ACCIDENT,
            "description": "发生较大安全事故",
            "document": disguised("事故通报.exe"),
            "version": draft.version,
        },
    )
    assert response.status_code == 302
    record = Disqualification.objects.get(line=line)
    assert record.document.name.endswith(".pdf")
    client.force_login(personas.finance)
    download = client.get(f"/awards/disqualifications/{record.pk}/document/")
    assert_served_as(download, "pdf", "application/pdf")


def test_investment_evidence_named_hta_is_stored_and_served_as_pdf(client, personas):
    project = ProjectFactory(organization=org("宝清县"))
    client.force_login(personas.reporter)
    response = client.post(f"/investment/projects/{project.pk}/evidence/", {"file": disguised("佐证.hta")})
    assert response.status_code == 302
    evidence = InvestmentEvidence.objects.get(project=project)
    assert evidence.file.name.endswith(".pdf")
    download = client.get(f"/investment/evidence/{evidence.pk}/")
    assert_served_as(download, "pdf", "application/pdf")
    assert (
        "%E4%BD%90%E8%AF%81.pdf" in download["Content-Disposition"]
    )  # 佐证.pdf: the name kept, not the type


def test_chiefservice_case_evidence_named_html_is_stored_and_served_as_pdf(client, personas):
    officer = OfficerFactory()
    client.force_login(personas.business_office)
    response = client.post(
        "/chiefservice/cases/new/",
        {
            "officer": officer.pk,
            "item": "N1",
            "facts": "事实",
            "evidence": disguised("evidence.html", content_type="text/html"),
        },
    )
    assert response.status_code == 302
    case = AccountabilityCase.objects.get()
    assert case.evidence.name.endswith(".pdf")
    download = client.get(f"/chiefservice/cases/{case.pk}/evidence/")
    assert_served_as(download, "pdf", "application/pdf")


def test_sprouts_evidence_named_exe_is_stored_and_served_as_png(client, personas):
    client.force_login(personas.agriculture)
    response = client.post(
        reverse("sprouts:case_create"),
        intake_data(files=[disguised("抽检报告.exe", PNG)]),
    )
    assert response.status_code == 302
    evidence = Case.objects.get().evidence.get()
    assert evidence.file.name.endswith(".png")
    download = client.get(reverse("sprouts:evidence_download", args=[evidence.pk]))
    assert_served_as(download, "png", "image/png")
