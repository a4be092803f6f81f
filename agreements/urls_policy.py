"""URLs of the policy feature: the wizard. Every school-owned object is named by its id."""

from django.urls import path

from .views import compare, history, review, wizard

app_name = "policy"

urlpatterns = [
    path("scholen/<int:school_id>/beleid/", review.home, name="home"),
    path("scholen/<int:school_id>/beleid/starten/", review.start, name="start"),
    path("versies/<int:version_id>/", review.overview, name="overview"),
    path("versies/<int:version_id>/thema/<int:theme_number>/", wizard.step, name="step"),
    path("versies/<int:version_id>/thema/<int:theme_number>/eigen-afspraak/", wizard.add_own, name="add_own"),
    path("versies/<int:version_id>/thema/<int:theme_number>/notitie/", wizard.save_note, name="save_note"),
    path("versies/<int:version_id>/thema/<int:theme_number>/klaar/", wizard.mark_done, name="mark_done"),
    path("versies/<int:version_id>/controleren/", review.review, name="review"),
    path("versies/<int:version_id>/evaluatie/<int:item_number>/", review.save_check, name="save_check"),
    path("versies/<int:version_id>/vergelijken/", compare.compare, name="compare"),
    path("versies/<int:version_id>/vergelijken/<int:other_version_id>/", compare.compare, name="compare_with"),
    path("afspraken/<int:decision_id>/", wizard.decision, name="decision"),
    path("afspraken/<int:decision_id>/opslaan/", wizard.save_decision, name="save_decision"),
    path("afspraken/<int:decision_id>/geschiedenis/", history.history, name="history"),
    path("afspraken/<int:decision_id>/verwijderen/", wizard.delete_own, name="delete_own"),
    path("afspraken/<int:decision_id>/verplaatsen/", wizard.move_own, name="move_own"),
    path("afspraken/<int:decision_id>/acties/", wizard.add_action, name="add_action"),
    path("afspraken/<int:decision_id>/acties/nieuw/", wizard.new_action, name="new_action"),
    path("acties/<int:action_id>/", wizard.action, name="action"),
    path("acties/<int:action_id>/bewerken/", wizard.edit_action, name="edit_action"),
    path("acties/<int:action_id>/opslaan/", wizard.save_action, name="save_action"),
    path("acties/<int:action_id>/verwijderen/", wizard.delete_action, name="delete_action"),
    path("afspraken/<int:decision_id>/opmerkingen/", wizard.add_comment, name="add_comment"),
    path("opmerkingen/<int:comment_id>/verwijderen/", wizard.delete_comment, name="delete_comment"),
]
