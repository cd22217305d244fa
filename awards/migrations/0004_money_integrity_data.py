from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    """Payments made before this release were full payments; a clawback belongs to its disqualified line."""
    AllocationLine = apps.get_model("awards", "AllocationLine")
    Clawback = apps.get_model("awards", "Clawback")
    AllocationLine.objects.filter(disbursed_on__isnull=False).update(disbursed_amount=F("final_amount"))
    for clawback in Clawback.objects.filter(line__isnull=True).select_related("disqualification"):
        clawback.line_id = clawback.disqualification.line_id
        clawback.reason = "取消奖励资格"
        clawback.save(update_fields=["line", "reason"])


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_money_integrity")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
