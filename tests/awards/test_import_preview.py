"""The import preview names each changed field by its label, with the old and the new value."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import imports
from awards.models import IndustrialTarget, Project

from .conftest import GOOD_PROJECTS, GOOD_TARGETS, workbook_bytes

pytestmark = pytest.mark.django_db


def test_the_preview_shows_labels_with_old_and_new_values(client, personas, good_workbook):
    imports.import_workbook(str(good_workbook), year=2030)
    projects = [list(r) for r in GOOD_PROJECTS]
    projects[0][5] = 26000  # 年度完成投资
    projects[0][7] = "是"  # 是否竣工
    projects[1][1] = "省级百大项目"
    targets = [["宝清县", 5, GOOD_TARGETS[0][2]]]  # 开复工任务目标个数 3 → 5
    client.force_login(personas.fgw_clerk)
    content = workbook_bytes(projects, targets)
    response = client.post("/awards/import/", {"year": 2030, "file": SimpleUploadedFile("p.xlsx", content)})
    assert response.status_code == 200
    assert response.context["plan"].counts == {"add": 0, "change": 3, "unchanged": 1}
    page = response.content.decode()
    assert "开复工任务目标个数：3 → 5" in page
    assert "年度完成投资（万元）：25000.00 → 26000.00" in page
    assert "是否竣工：否 → 是" in page
    assert "项目类别：市级百大项目 → 省级百大项目" in page
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    internal = {f.name for model in (Project, IndustrialTarget) for f in model._meta.concrete_fields}
    assert [name for name in sorted(internal) if name in table] == []
