from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} archive"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Editors' desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
    path("", include("articles.urls")),
    path("", include("annotations.urls")),
    path("", include("articles.search_urls")),
]

# A lost database answers 503 wherever it is noticed, not only inside views.
handler500 = "ops.views.server_error"
