from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "百大项目建设奖励"
    # A domain app of the platform (``orgs.discovery.domain_apps``) and its entry in the main menu.
    domain = True
    menu = ("awards:index", "百大项目奖励")
