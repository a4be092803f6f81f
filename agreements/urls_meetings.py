"""URLs of the meetings feature."""

from django.urls import path  # noqa: F401

app_name = "meetings"

urlpatterns = []
