from django.urls import path

from . import views
from .feeds import LatestArticlesAtomFeed, LatestArticlesFeed

urlpatterns = [
    path("outlets/<slug:slug>/", views.outlet_detail, name="outlet_detail"),
    path("authors/<slug:slug>/", views.author_detail, name="author_detail"),
    path("feeds/articles.atom", LatestArticlesAtomFeed(), name="feed_atom"),
    path("feeds/articles.rss", LatestArticlesFeed(), name="feed_rss"),
]
