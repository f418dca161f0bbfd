from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Admins log in through allauth (password + two-factor), never through the admin's own form.
    path("admin/login/", core_views.admin_login_redirect),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("organizations.urls")),
    path("", include("listings.urls")),
    path("", include("events.urls")),
    path("", include("matching.urls")),
    path("", include("projects.urls")),
    path("", include("proposals.urls")),
    path("", include("notifications.urls")),
    path("", include("surveys.urls")),
    path("", include("stats.urls")),
    path("", include("api.urls")),
    path("", include("privacy.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
handler403 = "portal.views.permission_denied"
handler400 = "core.views.bad_request"
