from django.apps import AppConfig


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orgs"
    verbose_name = "组织机构与权限"

    def ready(self):
        from . import lookups  # noqa: F401 - registers the platform's integer __in lookups
