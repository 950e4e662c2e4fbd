from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from annotations.models import Annotation, Rating
from articles.models import Article, Author, Outlet, Paragraph

from .fields import IdSetField


class SearchEntry(models.Model):
    """The search index: one row per annotation that readers can see, with what search filters on.

    Derived data, kept current by ``research/index.py`` as a follower of every change
    (``articles/changes.py``); ``manage.py rebuild_search_index`` rebuilds all of it. One narrow
    table means a search, its count and its facets each read one index and one table, not five.
    """

    annotation = models.OneToOneField(
        Annotation, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    paragraph = models.ForeignKey(Paragraph, null=True, on_delete=models.SET_NULL, related_name="+")
    start = models.PositiveIntegerField(null=True)
    kind = models.CharField(max_length=6, choices=Annotation.Kind.choices)
    rating = models.ForeignKey(Rating, null=True, on_delete=models.SET_NULL, related_name="+")
    outlet = models.ForeignKey(Outlet, null=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=8, blank=True)
    published_on = models.DateField(null=True)
    year = models.PositiveSmallIntegerField(null=True)
    tag_ids = IdSetField()
    # PostgreSQL: the annotation's own vector (weights A-C) with its passage's (weight D).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "search entries"
        default_permissions = ()

    def __str__(self) -> str:
        return f"Search entry for annotation {self.annotation_id}"
