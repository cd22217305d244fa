import django_tables2 as tables

from .models import AuditEvent


class AuditTable(tables.Table):
    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "kind", "username", "organization", "ip", "target", "detail"]
        orderable = False
        empty_text = "没有符合条件的审计记录。"
