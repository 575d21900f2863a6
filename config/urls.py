from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from config.api import router

handler400 = "partnerships.views.error_400"
handler403 = "partnerships.views.error_403"
handler404 = "partnerships.views.error_404"

urlpatterns = [
    path("", include("ops.urls")),
    path("", include("partnerships.urls")),
    path("", include("audit.urls")),
    path("", include("cases.urls")),
    path("", include("deadlines.urls")),
    path("", include("rapidreview.urls")),
    path("", include("cspr.urls")),
    path("", include("notifications.urls")),
    path("", include("signoffs.urls")),
    path("", include("documents.urls")),
    path("", include("publication.urls")),
    path("", include("learning.urls")),
    path("", include("actions.urls")),
    path("", include("retention.urls")),
    path("", include("reporting.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("admin/", admin.site.urls),
]
