from django.apps import AppConfig


class SecurityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "security"
    verbose_name = "安全与审计"

    def ready(self):
        from . import signals

        signals.connect()
