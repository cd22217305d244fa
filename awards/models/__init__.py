"""百大项目建设奖励: projects, industrial targets, a year's scheme parameters and its computed allocation.

双政办发〔2020〕14号 (the standing rules) and 15号 (the 2019 scheme, whose values are the defaults here).
"""

from .allocation import Allocation, AllocationLine, AllocationStatus
from .projects import (
    DECLARED_FIELDS,
    ZERO,
    Category,
    IndustrialTarget,
    Project,
    SchemeParameters,
    Verification,
    default_tiers,
)
from .records import AllocationLog, Clawback, ClawbackStatus, Disqualification, Ground

__all__ = [
    "Allocation",
    "AllocationLine",
    "AllocationLog",
    "AllocationStatus",
    "Category",
    "Clawback",
    "DECLARED_FIELDS",
    "ClawbackStatus",
    "Disqualification",
    "Ground",
    "IndustrialTarget",
    "Project",
    "SchemeParameters",
    "Verification",
    "ZERO",
    "default_tiers",
]
