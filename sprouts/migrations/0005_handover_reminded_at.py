# The hand-over's overdue state is computed when read; the column only records the daily reminder.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sprouts", "0004_case_version"),
    ]

    operations = [
        migrations.RenameField(model_name="handover", old_name="flagged_at", new_name="reminded_at"),
        migrations.RenameField(model_name="historicalhandover", old_name="flagged_at", new_name="reminded_at"),
        migrations.AlterField(
            model_name="handover",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="逾期提醒时间"),
        ),
        migrations.AlterField(
            model_name="historicalhandover",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="逾期提醒时间"),
        ),
    ]
