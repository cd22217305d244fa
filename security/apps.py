from django.apps import AppConfig


class SecurityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "security"
    verbose_name = "安全与审计"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals

        signals.connect()
        # After each app's migrate: the permissions of every model exist by the last one.
        post_migrate.connect(signals.on_migrate, dispatch_uid="security.administrator_permissions")
