"""URLs of the schools feature."""

from django.urls import path

from . import converters  # noqa: F401 (registers <id:…>)
from .views import portability, schools, twofactor

app_name = "schools"

urlpatterns = [
    path("scholen/", schools.school_list, name="list"),
    path("scholen/nieuw/", schools.school_create, name="create"),
    path("scholen/verhuizen/", portability.import_upload, name="import"),
    path("scholen/<id:school_id>/export/", portability.export_download, name="export"),
    path("scholen/<id:school_id>/", schools.dashboard, name="dashboard"),
    path("scholen/<id:school_id>/verlaten/", schools.leave, name="leave"),
    path("scholen/<id:school_id>/team/", schools.team, name="team"),
    path("scholen/<id:school_id>/verwijderen/", schools.delete_school, name="delete"),
    path("scholen/<id:school_id>/verwijderen/ongedaan/", schools.cancel_deletion, name="cancel_deletion"),
    path("scholen/<id:school_id>/tweestaps/", twofactor.school_requirement, name="two_factor"),
    path("scholen/<id:school_id>/team/<id:membership_id>/rol/", schools.change_role, name="change_role"),
    path("scholen/<id:school_id>/team/<id:membership_id>/verwijderen/", schools.remove_member,
         name="remove_member"),
    path("scholen/<id:school_id>/uitnodigingen/<id:invitation_id>/intrekken/", schools.revoke_invitation,
         name="revoke_invitation"),
    path("uitnodiging/<str:token>/", schools.accept_invitation, name="accept_invitation"),
]
