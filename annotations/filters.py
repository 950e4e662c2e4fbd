"""FilterSets for the public archive and claims lists (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from articles.models import Article, Author, Outlet

from . import summaries
from .models import Annotation, Rating, Tag


def published_tags(request=None):
    return Tag.objects.filter(use__articles__gt=0).order_by("name")


def published_claim_tags(request=None):
    return Tag.objects.filter(use__claims__gt=0).order_by("name")


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def public_choice(model, field_name: str | None = None, label: str = "") -> django_filters.ModelChoiceFilter:
    """A filter on a public outlet or author, chosen by slug."""
    label = label or model._meta.verbose_name.capitalize()
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=lambda request: model.objects.public(),
        empty_label=f"Any {label.lower()}",
        label=label,
    )


class ArticleFilter(django_filters.FilterSet):
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", to_field_name="slug", queryset=published_tags, empty_label="Any tag", label="Tag"
    )
    outlet = public_choice(Outlet)
    author = public_choice(Author)
    # Whole years the date type can hold: anything else is a form error, not an overflow in the lookup.
    year = YearFilter(
        field_name="published_on", lookup_expr="year", label="Year", min_value=1, max_value=9999
    )
    language = django_filters.ChoiceFilter(empty_label="Any language", label="Language")
    fact_checked = django_filters.BooleanFilter(
        method="filter_fact_checked", label="Has fact-checks", widget=forms.CheckboxInput
    )

    class Meta:
        model = Article
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        languages = [code for code in summaries.languages() if code]
        self.filters["language"].extra["choices"] = [(code, code) for code in languages]

    def filter_fact_checked(self, queryset, name: str, value: bool):
        if not value:
            return queryset
        claims = Annotation.objects.published().claims().filter(article=OuterRef("pk"))
        return queryset.filter(Exists(claims))


class ClaimFilter(django_filters.FilterSet):
    rating = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=lambda request: Rating.objects.all(),
        empty_label="Any rating",
        label="Rating",
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        to_field_name="slug",
        queryset=published_claim_tags,
        empty_label="Any tag",
        label="Tag",
    )
    outlet = public_choice(Outlet, "article__outlet")
    author = public_choice(Author, "article__author")

    class Meta:
        model = Annotation
        fields: list[str] = []
