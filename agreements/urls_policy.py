"""URLs of the policy feature: the wizard. Every school-owned object is named by its id."""

from django.urls import path

from .views import policy

app_name = "policy"

urlpatterns = [
    path("scholen/<int:school_id>/beleid/", policy.home, name="home"),
    path("scholen/<int:school_id>/beleid/starten/", policy.start, name="start"),
    path("versies/<int:version_id>/", policy.overview, name="overview"),
    path("versies/<int:version_id>/thema/<int:theme_number>/", policy.step, name="step"),
    path("versies/<int:version_id>/thema/<int:theme_number>/eigen-afspraak/", policy.add_own, name="add_own"),
    path("versies/<int:version_id>/thema/<int:theme_number>/notitie/", policy.save_note, name="save_note"),
    path("versies/<int:version_id>/thema/<int:theme_number>/klaar/", policy.mark_done, name="mark_done"),
    path("versies/<int:version_id>/controleren/", policy.review, name="review"),
    path("afspraken/<int:decision_id>/", policy.decision, name="decision"),
    path("afspraken/<int:decision_id>/opslaan/", policy.save_decision, name="save_decision"),
    path("afspraken/<int:decision_id>/geschiedenis/", policy.history, name="history"),
    path("afspraken/<int:decision_id>/verwijderen/", policy.delete_own, name="delete_own"),
    path("afspraken/<int:decision_id>/verplaatsen/", policy.move_own, name="move_own"),
    path("afspraken/<int:decision_id>/acties/", policy.add_action, name="add_action"),
    path("afspraken/<int:decision_id>/acties/nieuw/", policy.new_action, name="new_action"),
    path("acties/<int:action_id>/", policy.action, name="action"),
    path("acties/<int:action_id>/bewerken/", policy.edit_action, name="edit_action"),
    path("acties/<int:action_id>/opslaan/", policy.save_action, name="save_action"),
    path("acties/<int:action_id>/verwijderen/", policy.delete_action, name="delete_action"),
    path("afspraken/<int:decision_id>/opmerkingen/", policy.add_comment, name="add_comment"),
    path("opmerkingen/<int:comment_id>/verwijderen/", policy.delete_comment, name="delete_comment"),
]
