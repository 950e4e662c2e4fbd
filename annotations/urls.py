from django.urls import path

from . import views

urlpatterns = [
    path("annotations/<int:pk>/", views.annotation_detail, name="annotation_detail"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/claimreview.json", views.claimreview_export, name="claimreview_export"),
    path("ratings.css", views.rating_css, name="rating_css"),
]
