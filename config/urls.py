"""The root URLconf: the composition root, the one module of config/ that names the apps."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = f"{settings.SITE_NAME} archive"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Editors' desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("articles.urls")),
    path("", include("annotations.urls")),
    path("", include("research.urls")),
]

# A lost database answers 503 wherever it is noticed, not only inside views.
handler500 = "config.views.server_error"
