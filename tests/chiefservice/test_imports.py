from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from chiefservice import imports, rules
from chiefservice.models import ServedSubject
from orgs.excel import WorkbookErrors

from .factories import SubjectFactory, credit_code, org

pytestmark = pytest.mark.django_db


def workbook(rows, headers=None) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = imports.SHEET
    ws.append(headers or imports.SUBJECT_HEADERS)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("subjects.xlsx", buffer.getvalue())


def row(name, kind="企业", code=None, district="宝清县", signed=None):
    return [name, kind, code or "", district, "一网格", "小型", "否", "是", "否", "否", signed]


def test_valid_rows_are_all_imported(personas):
    upload = workbook(
        [
            row("甲公司", code=credit_code(101)),
            row("乙个体户", kind="个体工商户", code=credit_code(102)),
            row("丙拟投资", kind="拟投资企业", signed=date(2020, 8, 1)),
        ]
    )
    count = imports.subjects_import(upload=upload, by=personas.reporter, registered_by=org("宝清县"))
    assert count == 3
    prospective = ServedSubject.objects.get(name="丙拟投资")
    assert prospective.assignment_due_on == date(2020, 8, 16)
    assert ServedSubject.objects.get(name="甲公司").is_provincial_top100


def test_one_bad_row_imports_nothing_and_names_every_problem(personas):
    bad_code = credit_code(103)[:17] + ("1" if credit_code(103)[17] != "1" else "2")
    SubjectFactory(name="已登记公司", credit_code=credit_code(104))
    upload = workbook(
        [
            row("甲公司", code=credit_code(101)),
            row("乙公司", code=bad_code),
            row("丙公司", code=credit_code(101)),
            row("丁公司", kind="合伙企业", code=credit_code(105)),
            row("戊公司", code=credit_code(104)),
            row("己公司", code=credit_code(106), district="集贤县"),
            row("庚公司", code=""),
        ]
    )
    with pytest.raises(WorkbookErrors) as exc:
        imports.subjects_import(upload=upload, by=personas.reporter, registered_by=org("宝清县"))
    texts = [str(e) for e in exc.value.errors]
    expected_check = rules.credit_code_check_character(bad_code[:17])
    assert texts == [
        f"服务对象 第3行 统一社会信用代码：{rules.CREDIT_CODE_CHECK.format(expected=expected_check, actual=bad_code[17])}",
        "服务对象 第4行 统一社会信用代码：" + imports.DUPLICATE_IN_FILE.format(row=2),
        "服务对象 第5行 类型：应为企业、其他组织、个体工商户、拟投资企业之一，实际为“合伙企业”",
        "服务对象 第7行 所属县（区）：" + imports.OUTSIDE_DISTRICT,
        "服务对象 第8行 统一社会信用代码：" + imports.CODE_REQUIRED,
        "服务对象 第6行 统一社会信用代码：" + imports.ALREADY_REGISTERED.format(name="已登记公司"),
    ]
    assert ServedSubject.objects.count() == 1


def test_wrong_header_is_reported(personas):
    upload = workbook([row("甲公司", code=credit_code(101))], headers=["名称", "类别"])
    with pytest.raises(WorkbookErrors) as exc:
        imports.subjects_import(upload=upload, by=personas.reporter, registered_by=org("宝清县"))
    assert "表头应为" in str(exc.value.errors[0])


def test_not_a_workbook_is_refused(personas):
    upload = SimpleUploadedFile("subjects.xlsx", b"not a workbook at all")
    with pytest.raises(WorkbookErrors):
        imports.subjects_import(upload=upload, by=personas.reporter, registered_by=org("宝清县"))
    assert not ServedSubject.objects.exists()


def test_import_page_shows_row_errors(client, personas):
    client.force_login(personas.reporter)
    upload = workbook([row("甲公司", code="123")])
    response = client.post("/chiefservice/subjects/import/", {"file": upload})
    assert response.status_code == 200
    assert "服务对象 第2行 统一社会信用代码" in response.content.decode()
    assert not ServedSubject.objects.exists()
