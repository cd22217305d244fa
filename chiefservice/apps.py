from django.apps import AppConfig


class ChiefserviceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chiefservice"
    verbose_name = "企业首席服务员"
