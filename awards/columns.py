"""The columns of the awards workbooks that are both written and read back: one declaration each.

The project workbook (sheet 项目清单 of the import, of its template and of the allocation export) and the
产业项目目标 and 入统项目清单 sheets are declared here once; ``imports``/``statistics`` read their uploads and
``exports`` writes its sheets from these, so a header renamed here changes every one of them (spec "Excel
import", "Excel export").
"""

from __future__ import annotations

from orgs.excel import DECIMAL, INTEGER, YES_NO, Column
from orgs.models import Organization
from orgs.xlsx import AMOUNT
from orgs.xlsx import INTEGER as INTEGER_FORMAT

from .models import Category

PROJECT_SHEET = "项目清单"
TARGET_SHEET = "产业项目目标"
STATISTICS_SHEET = "入统项目清单"


def entity_names() -> list[str]:
    """The 责任主体 of the awards (the directory's units with a group), in directory order."""
    return list(
        Organization.objects.filter(award_group__isnull=False)
        .order_by("directory_order", "pk")
        .values_list("name", flat=True)
    )


def _entity(obj) -> str:
    return obj.entity.name


def _category(obj) -> str:
    return obj.get_category_display()


NAME = Column("项目名称", "name", width=28, example="宝清县热电联产项目")
ENTITY = Column("责任主体", "entity", width=16, choices=entity_names, example="宝清县", value=_entity)
ACTUAL = Column(
    "年度完成投资（万元）", "actual_investment", DECIMAL, width=12, number_format=AMOUNT, example=25000
)
#: after the eight columns of the spec: 15号 四(三) counts only 投资500万元以上产业项目, so a 产业项目 row needs
#: it; a workbook of 省级/市级 projects only may leave the column out
TOTAL = Column(
    "计划总投资（万元）",
    "total_investment",
    DECIMAL,
    width=12,
    number_format=AMOUNT,
    required=False,
    example=120000,
)
PROJECT_COLUMNS = (
    NAME,
    Column(
        "项目类别",
        "category",
        width=14,
        choices=tuple(Category.labels),
        example=Category.PROV.label,
        value=_category,
    ),
    ENTITY,
    Column("是否单体", "single", YES_NO, width=6, required=False, example="是"),
    Column(
        "年度计划投资（万元）", "planned_investment", DECIMAL, width=12, number_format=AMOUNT, example=30000
    ),
    ACTUAL,
    Column("是否开复工", "started", YES_NO, width=6, example="是"),
    Column("是否竣工", "completed", YES_NO, width=6, required=False, example="否"),
    TOTAL,
)
#: the columns every project workbook has; ``TOTAL`` may follow them
PROJECT_REQUIRED = PROJECT_COLUMNS[:-1]

TARGET_COLUMNS = (
    Column("责任主体", "entity", width=24, choices=entity_names, example="宝清县", value=_entity),
    Column("开复工任务目标个数", "target_count", INTEGER, width=12, number_format=INTEGER_FORMAT, example=3),
    Column(
        "计划完成投资任务目标额（万元）",
        "target_amount",
        DECIMAL,
        width=18,
        number_format=AMOUNT,
        example=10000,
    ),
)

STATISTICS_COLUMNS = (
    NAME,
    ENTITY,
    Column("是否入统", "in_statistics", YES_NO, width=8),
    Column(
        "年度完成投资（万元）",
        "statistics_investment",
        DECIMAL,
        width=14,
        number_format=AMOUNT,
        required=False,  # required only of a project 入统 (statistics.parse)
    ),
)
