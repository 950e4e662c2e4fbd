from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("outlets/<slug:slug>/", views.outlet_detail, name="outlet_detail"),
    path("authors/<slug:slug>/", views.author_detail, name="author_detail"),
    path("annotations/<int:pk>/", views.annotation_detail, name="annotation_detail"),
]
