from django.apps import AppConfig


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orgs"
    verbose_name = "组织机构与权限"

    def ready(self):
        from . import columns, lookups  # noqa: F401 - register the table columns and __any
