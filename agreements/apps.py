from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "AI-beleid"
    default_auto_field = "django.db.models.BigAutoField"
