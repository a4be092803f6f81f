from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("agreements.urls_system")),
    path("", include("agreements.urls_accounts")),
    path("", include("agreements.urls_schools")),
    path("", include("agreements.urls_policy")),
    path("", include("agreements.urls_meetings")),
    path("", include("agreements.urls_documents")),
    path("", include("agreements.urls_tools")),
    path("", include("agreements.urls")),
]

# Django's admin only when DJANGO_ADMIN_PATH names a path of its own (nothing in the site needs it).
if settings.ADMIN_PATH:
    urlpatterns.insert(1, path(settings.ADMIN_PATH, admin.site.urls))

# Our own Dutch error pages (agreements/views/errors.py).
handler400 = "agreements.views.errors.bad_request"
handler403 = "agreements.views.errors.permission_denied"
handler404 = "agreements.views.errors.page_not_found"
handler500 = "agreements.views.errors.server_error"
