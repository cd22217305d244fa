import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_money_integrity_data")]

    operations = [
        migrations.AlterField(
            model_name="clawback",
            name="line",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="clawbacks",
                to="awards.allocationline",
                verbose_name="分配明细",
            ),
        ),
    ]
