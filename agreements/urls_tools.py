"""URLs of the school's AI-tool register. Every tool is named by its id."""

from django.urls import path

from . import converters  # noqa: F401 (registers <id:…>)
from .views import tools

app_name = "tools"

urlpatterns = [
    path("scholen/<id:school_id>/ai-tools/", tools.register, name="register"),
    path("scholen/<id:school_id>/ai-tools/nieuw/", tools.add, name="add"),
    path("ai-tools/<id:tool_id>/", tools.detail, name="detail"),
    path("ai-tools/<id:tool_id>/bewerken/", tools.edit, name="edit"),
    path("ai-tools/<id:tool_id>/verwijderen/", tools.delete, name="delete"),
    path("ai-tools/<id:tool_id>/terugzetten/", tools.restore, name="restore"),
    path("ai-tools/<id:tool_id>/opmerkingen/", tools.comment, name="comment"),
    path("ai-tools/<id:tool_id>/beoordeling/", tools.assess, name="assess"),
    path("ai-tools/<id:tool_id>/oordeel/", tools.decide, name="decide"),
    path("ai-tools/<id:tool_id>/koppelingen/", tools.links, name="links"),
    path("ai-tools/<id:tool_id>/geschiedenis/", tools.history, name="history"),
]
