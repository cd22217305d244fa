"""Value lists of the sprouts app (双政办规〔2020〕15号), shared by models and the pure routing rules."""

from django.db import models


class Stage(models.TextChoices):
    PRODUCTION = "production", "生产环节"
    CIRCULATION = "circulation", "市场流通环节"
    CATERING = "catering", "餐饮服务环节"


class Source(models.TextChoices):
    INSPECTION = "inspection", "日常检查"
    SAMPLING = "sampling", "抽检监测"
    RISK_MONITORING = "risk_monitoring", "风险监测"
    COMPLAINT = "complaint", "投诉举报"
    TRANSFER = "transfer", "其他部门移交"


class Status(models.TextChoices):
    PENDING = "pending", "待接收"
    HANDLING = "handling", "办理中"
    CLOSED = "closed", "已办结"


class Outcome(models.TextChoices):
    PENALIZED = "penalized", "作出行政处罚"
    CORRECTED = "corrected", "责令整改"
    CRIMINAL = "criminal", "刑事立案"
    NO_VIOLATION = "no_violation", "未发现违法行为"


class Trigger(models.TextChoices):
    INTAKE = "intake", "登记分办"
    CRIME = "crime", "涉嫌犯罪移交公安"


# Mirrors orgs.models.Sector; kept here so the pure rules module needs no ORM import.
SECTOR_LABELS = {"market": "市场监管部门", "agriculture": "农业行政主管部门", "police": "公安部门"}
