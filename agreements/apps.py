from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "AI-beleid"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from policybuilder.celery import ensure_broker_folders

        ensure_broker_folders()
