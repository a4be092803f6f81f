"""URLs of the documents feature: finalise, sign, the policy PDF, its public link and verification."""

from django.urls import path

from . import converters  # noqa: F401 (registers <id:…>)
from .views import documents

app_name = "documents"

urlpatterns = [
    path("versies/<id:version_id>/voorbeeld/", documents.preview, name="preview"),
    path("versies/<id:version_id>/afronden/", documents.finalise, name="finalise"),
    path("versies/<id:version_id>/ondertekenen/", documents.sign, name="sign"),
    path("versies/<id:version_id>/documenten/", documents.document_list, name="documents"),
    path("versies/<id:version_id>/nieuw-concept/", documents.new_draft, name="new_draft"),
    path("documenten/<id:document_id>/download/", documents.download, name="download"),
    path("documenten/<id:document_id>/word/", documents.download_word, name="download_word"),
    path("documenten/<id:document_id>/status/", documents.document_status, name="status"),
    path("documenten/<id:document_id>/opnieuw/", documents.retry, name="retry"),
    path("documenten/<id:document_id>/delen/", documents.share, name="share"),
    path("ouders/<str:share_token>/", documents.parents_edition, name="parents"),
    path("verifieer/", documents.verify_start, name="verify_start"),
    path("verifieer/<str:verification_code>/", documents.verify, name="verify"),
]
