from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lyushunkou import two_factor, two_factor_backup, views
from lyushunkou.forms import PortalPasswordChangeForm
from lyushunkou.ratelimit import rate_limited

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdiction-list"),
    path("jurisdictions/<str:code>/", views.jurisdiction_detail, name="jurisdiction-detail"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        rate_limited("password_reset", limit=5, window_seconds=3600, methods=("POST",))(
            auth_views.PasswordResetView.as_view()
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path("accounts/2fa/setup/", two_factor.setup, name="otp-setup"),
    path("accounts/2fa/verify/", two_factor.verify, name="otp-verify"),
    path("accounts/2fa/backup-codes/", two_factor_backup.codes, name="otp-backup-codes"),
    path(
        "accounts/2fa/backup-codes/regenerate/",
        two_factor_backup.regenerate,
        name="otp-backup-regenerate",
    ),
    path(
        "accounts/2fa/backup-codes/download/",
        two_factor_backup.download,
        name="otp-backup-download",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("lyushunkou.urls_notifications")),
    path("imports/", include("lyushunkou.urls_imports")),
    path("exports/", include("lyushunkou.urls_exports")),
    path("notices/", include("lyushunkou.urls_notices")),
    path("", include("units.urls")),
    path("", include("complaints.urls")),
    path("", include("inspections.urls")),
    path("", include("supervision.urls")),
    path("", include("scoring.urls")),
    path("", include("areas.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
