from django.apps import AppConfig


class SproutsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sprouts"
    verbose_name = "豆芽质量安全监管"
    # A domain app of the platform (``orgs.discovery.domain_apps``) and its entry in the main menu.
    domain = True
    menu = ("sprouts:index", "豆芽质量安全监管")
