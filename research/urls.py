from django.urls import path

from . import api, views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("claims/claimreview.json", views.claimreview_export, name="claimreview_export"),
    path("api/", api.index, name="api_index"),
    path("api/schema/", api.schema, name="api_schema"),
    path("api/articles/", api.articles, name="api_articles"),
    path("api/articles/<int:pk>/", api.article, name="api_article"),
    path("api/paragraphs/", api.paragraphs, name="api_paragraphs"),
    path("api/annotations/", api.annotations, name="api_annotations"),
    path("api/annotations/<int:pk>/", api.annotation, name="api_annotation"),
    path("api/sources/", api.sources, name="api_sources"),
    path("api/tags/", api.tags, name="api_tags"),
    path("api/ratings/", api.ratings, name="api_ratings"),
]
