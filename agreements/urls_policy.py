"""URLs of the policy feature: the wizard. Every school-owned object is named by its id."""

from django.urls import path

from . import converters  # noqa: F401 (registers <id:…>)
from .views import compare, history, review, wizard

app_name = "policy"

urlpatterns = [
    path("scholen/<id:school_id>/beleid/", review.home, name="home"),
    path("scholen/<id:school_id>/beleid/starten/", review.start, name="start"),
    path("versies/<id:version_id>/", review.overview, name="overview"),
    path("versies/<id:version_id>/thema/<id:theme_number>/", wizard.step, name="step"),
    path("versies/<id:version_id>/thema/<id:theme_number>/eigen-afspraak/", wizard.add_own, name="add_own"),
    path("versies/<id:version_id>/thema/<id:theme_number>/notitie/", wizard.save_note, name="save_note"),
    path("versies/<id:version_id>/thema/<id:theme_number>/klaar/", wizard.mark_done, name="mark_done"),
    path("versies/<id:version_id>/controleren/", review.review, name="review"),
    path("versies/<id:version_id>/evaluatie/<id:item_number>/", review.save_check, name="save_check"),
    path("versies/<id:version_id>/vergelijken/", compare.compare, name="compare"),
    path("versies/<id:version_id>/vergelijken/<id:other_version_id>/", compare.compare, name="compare_with"),
    path("afspraken/<id:decision_id>/", wizard.decision, name="decision"),
    path("afspraken/<id:decision_id>/opslaan/", wizard.save_decision, name="save_decision"),
    path("afspraken/<id:decision_id>/geschiedenis/", history.history, name="history"),
    path("afspraken/<id:decision_id>/verwijderen/", wizard.delete_own, name="delete_own"),
    path("afspraken/<id:decision_id>/verplaatsen/", wizard.move_own, name="move_own"),
    path("afspraken/<id:decision_id>/acties/", wizard.add_action, name="add_action"),
    path("afspraken/<id:decision_id>/acties/nieuw/", wizard.new_action, name="new_action"),
    path("acties/<id:action_id>/", wizard.action, name="action"),
    path("acties/<id:action_id>/bewerken/", wizard.edit_action, name="edit_action"),
    path("acties/<id:action_id>/opslaan/", wizard.save_action, name="save_action"),
    path("acties/<id:action_id>/verwijderen/", wizard.delete_action, name="delete_action"),
    path("afspraken/<id:decision_id>/opmerkingen/", wizard.add_comment, name="add_comment"),
    path("opmerkingen/<id:comment_id>/verwijderen/", wizard.delete_comment, name="delete_comment"),
]
