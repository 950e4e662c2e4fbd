from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import LatestArticlesAtomFeed, LatestArticlesFeed
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.archive, name="archive"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("outlets/<slug:slug>/", views.outlet_detail, name="outlet_detail"),
    path("authors/<slug:slug>/", views.author_detail, name="author_detail"),
    path("tags/", views.tag_list, name="tag_list"),
    # Tag slugs keep their own script (taggit), so a Russian tag reads as Russian in the address.
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("feeds/articles.atom", LatestArticlesAtomFeed(), name="feed_atom"),
    path("feeds/articles.rss", LatestArticlesFeed(), name="feed_rss"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico whatever the page links; a temporary redirect, since the
    # static URL changes with the file's hash.
    path("favicon.ico", views.favicon, name="favicon"),
]
