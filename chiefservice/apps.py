from django.apps import AppConfig


class ChiefserviceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chiefservice"
    verbose_name = "企业首席服务员"
    # A domain app of the platform (``orgs.discovery.domain_apps``) and its entry in the main menu.
    domain = True
    menu = ("chiefservice:index", "企业首席服务员")
