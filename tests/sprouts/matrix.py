"""URL × persona → status for every sprouts page.

Two cases in 宝清县: a risk-monitoring finding recorded by 宝清县农业农村局 and handed to 宝清县市场监督管理局
(pending its acknowledgement), and a circulation case the market office handles itself.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PERSONA_SPECS
from tests.matrix import Row

EVERYONE = list(PERSONA_SPECS)
SUPERVISORS = ["market", "other_market", "agriculture", "police"]
READERS = [*SUPERVISORS, "leader"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _case(personas, name, **kwargs):
    from sprouts.models import Case

    from .factories import CaseFactory

    return Case.objects.filter(business_name=name).first() or CaseFactory(business_name=name, **kwargs)


def pending(personas):
    return _case(
        personas,
        "【矩阵】风险监测线索",
        by=personas.agriculture,
        source="risk_monitoring",
        stage="production",
    )


def handling(personas):
    return _case(
        personas, "【矩阵】流通环节案件", by=personas.market, files=[SimpleUploadedFile("a.png", PNG)]
    )


def case_url(suffix, which=handling):
    return lambda p: f"/sprouts/cases/{which(p).pk}/{suffix}"


ROWS = [
    Row("sprouts:index", lambda p: "/sprouts/", {name: 200 for name in EVERYONE}),
    Row(
        "sprouts:case_create",
        lambda p: "/sprouts/cases/new/",
        {name: 200 for name in [*SUPERVISORS]},
    ),
    Row(
        "sprouts:case_detail",
        case_url("", pending),
        {"market": 200, "agriculture": 200, "leader": 200, "police": 404, "other_market": 404},
    ),
    Row(
        "sprouts:case_handover",
        case_url("handover/"),
        {"market": 200, "agriculture": 404, "police": 404, "other_market": 404},
    ),
    Row(
        "sprouts:case_police",
        case_url("police/"),
        {"market": 200, "agriculture": 404, "police": 404, "other_market": 404},
    ),
    Row(
        "sprouts:case_penalty",
        case_url("penalty/"),
        {"market": 200, "agriculture": 404, "police": 404, "other_market": 404},
    ),
    Row(
        "sprouts:case_close",
        case_url("close/"),
        {"market": 200, "agriculture": 404, "police": 404, "other_market": 404},
    ),
    Row(
        "sprouts:case_note",
        case_url("note/"),
        {"market": 302, "agriculture": 404, "police": 404, "other_market": 404},
        method="post",
        data={"text": "现场检查记录"},
    ),
    Row(
        "sprouts:evidence_upload",
        case_url("evidence/"),
        {"market": 200, "agriculture": 404, "police": 404, "other_market": 404},  # 200: form with errors
        method="post",
    ),
    Row(
        "sprouts:evidence_download",
        lambda p: f"/sprouts/evidence/{handling(p).evidence.get().pk}/",
        {"market": 200, "leader": 200, "agriculture": 404, "police": 404, "other_market": 404},
    ),
    Row(
        "sprouts:handover_acknowledge",
        lambda p: f"/sprouts/handovers/{pending(p).handovers.get().pk}/acknowledge/",
        {"market": 302, "agriculture": 403, "police": 404, "other_market": 404},
        method="post",
    ),
    Row("sprouts:statistics", lambda p: "/sprouts/statistics/", {name: 200 for name in READERS}),
    Row(
        "sprouts:statistics_export",
        lambda p: "/sprouts/statistics/export/",
        {name: 302 for name in READERS},
        method="post",
    ),
    Row("sprouts:rules", lambda p: "/sprouts/rules/", {name: 200 for name in READERS}),
]
