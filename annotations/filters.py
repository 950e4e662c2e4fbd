"""FilterSets for the public archive and claims lists (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from articles.models import Article, Author, Outlet

from .models import Annotation, Rating


def published_tags(request=None):
    return Article.objects.published().tags().order_by("name")


def published_claim_tags(request=None):
    return Annotation.objects.published().claims().tags().order_by("name")


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ArticleFilter(django_filters.FilterSet):
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", to_field_name="slug", queryset=published_tags, empty_label="Any tag", label="Tag"
    )
    outlet = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=lambda request: Outlet.objects.public(),
        empty_label="Any outlet",
        label="Outlet",
    )
    author = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=lambda request: Author.objects.public(),
        empty_label="Any author",
        label="Author",
    )
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
        languages = (
            Article.objects.published()
            .exclude(language="")
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
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
    outlet = django_filters.ModelChoiceFilter(
        field_name="article__outlet",
        to_field_name="slug",
        queryset=lambda request: Outlet.objects.public(),
        empty_label="Any outlet",
        label="Outlet",
    )
    author = django_filters.ModelChoiceFilter(
        field_name="article__author",
        to_field_name="slug",
        queryset=lambda request: Author.objects.public(),
        empty_label="Any author",
        label="Author",
    )

    class Meta:
        model = Annotation
        fields: list[str] = []
