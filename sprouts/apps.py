from django.apps import AppConfig


class SproutsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sprouts"
    verbose_name = "豆芽质量安全监管"
