from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.archive, name="archive"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("annotations/<int:pk>/", views.annotation_detail, name="annotation_detail"),
    path("claims/", views.claim_list, name="claim_list"),
    path("tags/", views.tag_list, name="tag_list"),
    # Tag slugs keep their own script (taggit), so a Russian tag reads as Russian in the address.
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("ratings.css", views.rating_css, name="rating_css"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
