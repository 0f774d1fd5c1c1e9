from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from edugov.api import api
from edugov.audit import views as audit_views

handler500 = "edugov.kernel.errorpages.server_error"

urlpatterns = [
    # The language switch sets a preference cookie and nothing else; exempt from CSRF so that the
    # public pages carrying it hold no per-visitor token and can be served from the cache.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("edugov.accounts.urls")),
    path("registries/", include("edugov.registries.urls")),
    path("cases/", include("edugov.cases.urls")),
    path("audit/", include("edugov.audit.urls")),
    path("witness/add-checkpoint", audit_views.witness_add_checkpoint, name="witness_add_checkpoint"),
    path("witness/<str:origin_hash>/checkpoint", audit_views.witness_checkpoint, name="witness_checkpoint"),
    path("draws/", include("edugov.draws.urls")),
    path("figures/", include("edugov.metrics.urls")),
    path("enforcement/", include("edugov.enforcement.urls")),
    path("reports/", include("edugov.reports.urls")),
    path("schools/", include("edugov.schools.urls")),
    path("oversight/", include("edugov.oversight.urls")),
    path("legality/", include("edugov.legality.urls")),
    path("remedies/", include("edugov.remedies.urls")),
    path("leadership/", include("edugov.leadership.urls")),
    path("disclosure/", include("edugov.disclosure.urls")),
    path("verify/", include("edugov.documents.urls")),
    path("open311/v2/", include("edugov.petitions.open311")),
    path("", include("edugov.petitions.urls")),
    path("", include("edugov.services.urls")),
    path("", include("edugov.enrollment.urls")),
    path("api/v1/", api.urls),
    path("", include("edugov.portal.urls")),
]

if settings.EDUGOV.get("DEMO"):
    # The demo serves uploaded files itself; production serves them from nginx or object storage
    # behind the app's own permission-checked download views.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
