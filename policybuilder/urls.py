from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("agreements.urls_system")),
    path("beheer/", admin.site.urls),
    path("", include("agreements.urls_accounts")),
    path("", include("agreements.urls_schools")),
    path("", include("agreements.urls_policy")),
    path("", include("agreements.urls_meetings")),
    path("", include("agreements.urls_documents")),
    path("", include("agreements.urls_tools")),
    path("", include("agreements.urls")),
]
