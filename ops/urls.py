from django.conf import settings
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", views.media_file, name="media_file"),
]
