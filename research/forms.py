"""The search parameters, checked before anything is queried: each bad value gets a message.

Shared by the search page, the exports and the API. Names must be public (a tag, outlet or author
known only from drafts is unknown here, and never suggested); the query must parse.
"""

from __future__ import annotations

from django import forms

from annotations.models import Rating, Tag
from articles.models import Author, Outlet

from .backends import backend
from .query import ParsedQuery, SearchInputError, parse_query

MAX_PAGE = 10_000
SEARCH_TYPES = ("annotations", "paragraphs", "articles")
DATE_MESSAGES = {"invalid": "Enter dates as YYYY-MM-DD, for example 2024-03-01."}


class SlugListField(forms.Field):
    """A repeatable parameter (``?tag=a&tag=b``) as a list of non-empty strings."""

    widget = forms.MultipleHiddenInput

    max_values = 20
    max_length = 100

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return list(dict.fromkeys(v.strip() for v in value if v and v.strip()))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > self.max_values:
            raise forms.ValidationError(f"At most {self.max_values} values, not {len(value)}.")
        for item in value:
            if "\x00" in item:
                raise forms.ValidationError("Null characters are not allowed.")
            if len(item) > self.max_length:
                raise forms.ValidationError(f"{item[:30]}… is longer than {self.max_length} characters.")


def did_you_mean(queryset, field_name: str, text: str) -> str:
    close = [getattr(row, field_name) for row in backend().similar(queryset, field_name, text, limit=3)]
    return f" Did you mean {', '.join(close)}?" if close else ""


class SearchForm(forms.Form):
    """Checks that belong to the whole search: names that must exist, date order, query syntax.

    The query is parsed here, once per request; ``parsed_query`` keeps the result for the backend.
    """

    type = forms.ChoiceField(
        choices=[(t, t) for t in SEARCH_TYPES],
        required=False,
        error_messages={"invalid_choice": "type must be annotations, paragraphs or articles, not %(value)s."},
    )
    sort = forms.ChoiceField(
        choices=[("relevance", "relevance"), ("newest", "newest"), ("oldest", "oldest")],
        required=False,
        error_messages={"invalid_choice": "sort must be relevance, newest or oldest, not %(value)s."},
    )
    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        error_messages={
            "invalid": "The page must be a whole number.",
            "max_value": f"The page number is too large (at most {MAX_PAGE}).",
            "min_value": "Pages start at 1.",
        },
    )

    parsed_query: ParsedQuery | None = None

    def clean_q(self) -> str:
        q = " ".join((self.cleaned_data.get("q") or "").split())
        try:
            self.parsed_query = parse_query(q) if q else None
        except SearchInputError as error:
            raise forms.ValidationError(str(error)) from None
        return q

    def clean_tag(self) -> list[str]:
        values = self.cleaned_data.get("tag") or []
        known = (
            set(Tag.objects.public().filter(slug__in=values).values_list("slug", flat=True))
            if values
            else set()
        )
        unknown = [v for v in values if v not in known]
        if unknown:
            hint = did_you_mean(Tag.objects.public(), "name", unknown[0])
            raise forms.ValidationError(f"Unknown tag: {', '.join(unknown)}.{hint}")
        return values

    def clean_rating(self) -> list[str]:
        values = self.cleaned_data.get("rating") or []
        known = dict(Rating.objects.values_list("slug", "label"))
        unknown = [v for v in values if v not in known]
        if unknown:
            raise forms.ValidationError(
                f"Unknown rating: {', '.join(unknown)}. Ratings are: {', '.join(known)}."
            )
        return values

    def _one(self, name: str, model, label: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if value and not model.objects.public().filter(slug=value).exists():
            hint = did_you_mean(model.objects.public(), "name", value)
            raise forms.ValidationError(f"Unknown {label}: {value}.{hint}")
        return value

    def clean_outlet(self) -> str:
        return self._one("outlet", Outlet, "outlet")

    def clean_author(self) -> str:
        return self._one("author", Author, "author")

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return data
