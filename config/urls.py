"""Top-level routes. Every route is named; apps own their own namespaces."""

from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("corpus.urls")),
    path("", include("timeline.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

admin.site.site_header = "Sitrep administration"
admin.site.site_title = "Sitrep admin"
admin.site.index_title = "Curate the corpus"
