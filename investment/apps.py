from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "investment"
    verbose_name = "招商引资目标责任考核"
    # A domain app of the platform (``orgs.discovery.domain_apps``) and its entry in the main menu.
    domain = True
    menu = ("investment:index", "招商引资考核")
