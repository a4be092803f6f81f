"""URLs for the machines that watch the site (no namespace)."""

from django.urls import path

from .views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]
