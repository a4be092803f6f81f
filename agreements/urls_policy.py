"""URLs of the policy feature."""

from django.urls import path  # noqa: F401

app_name = "policy"

urlpatterns = []
