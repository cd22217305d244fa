from django.apps import AppConfig


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orgs"
    verbose_name = "组织机构与权限"

    def ready(self):
        from django.contrib.auth import get_user_model

        from . import columns, lookups  # noqa: F401 - register the platform's table columns and __in lookups

        # Pages, histories and exports name people by their name, not their login name (which is a credential).
        get_user_model().__str__ = _person_name


def _person_name(user) -> str:
    return user.get_full_name() or user.get_username()
