from django.apps import AppConfig

from policybuilder.celery import ensure_broker_folders


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "AI-beleid"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        ensure_broker_folders()
