from django.urls import path

from . import views
from .sitemaps import SECTION_URL_NAME, sitemap_index, sitemap_section

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
    # An index of section files, each at most GLOSSA_SITEMAP_LIMIT URLs (?p=2 for the next file).
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name=SECTION_URL_NAME),
]
