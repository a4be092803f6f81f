"""URLs of the documents feature: finalise, sign, the policy PDF, its public link and verification."""

from django.urls import path

from .views import documents

app_name = "documents"

urlpatterns = [
    path("versies/<int:version_id>/voorbeeld/", documents.preview, name="preview"),
    path("versies/<int:version_id>/afronden/", documents.finalise, name="finalise"),
    path("versies/<int:version_id>/ondertekenen/", documents.sign, name="sign"),
    path("versies/<int:version_id>/documenten/", documents.document_list, name="documents"),
    path("versies/<int:version_id>/nieuw-concept/", documents.new_draft, name="new_draft"),
    path("documenten/<int:document_id>/download/", documents.download, name="download"),
    path("documenten/<int:document_id>/word/", documents.download_word, name="download_word"),
    path("documenten/<int:document_id>/status/", documents.document_status, name="status"),
    path("documenten/<int:document_id>/opnieuw/", documents.retry, name="retry"),
    path("documenten/<int:document_id>/delen/", documents.share, name="share"),
    path("ouders/<str:share_token>/", documents.parents_edition, name="parents"),
    path("verifieer/", documents.verify_start, name="verify_start"),
    path("verifieer/<str:verification_code>/", documents.verify, name="verify"),
]
