"""URLs of the school's AI-tool register. Every tool is named by its id."""

from django.urls import path

from .views import tools

app_name = "tools"

urlpatterns = [
    path("scholen/<int:school_id>/ai-tools/", tools.register, name="register"),
    path("scholen/<int:school_id>/ai-tools/nieuw/", tools.add, name="add"),
    path("ai-tools/<int:tool_id>/", tools.detail, name="detail"),
    path("ai-tools/<int:tool_id>/bewerken/", tools.edit, name="edit"),
    path("ai-tools/<int:tool_id>/verwijderen/", tools.delete, name="delete"),
    path("ai-tools/<int:tool_id>/terugzetten/", tools.restore, name="restore"),
    path("ai-tools/<int:tool_id>/opmerkingen/", tools.comment, name="comment"),
    path("ai-tools/<int:tool_id>/beoordeling/", tools.assess, name="assess"),
    path("ai-tools/<int:tool_id>/oordeel/", tools.decide, name="decide"),
    path("ai-tools/<int:tool_id>/koppelingen/", tools.links, name="links"),
    path("ai-tools/<int:tool_id>/geschiedenis/", tools.history, name="history"),
]
