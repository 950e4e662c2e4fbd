"""Sources in the admin: finding one to cite."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_source_search_finds_a_source_by_another_spelling_of_its_url(checker_client):
    SourceFactory(url="https://example.org/report", title="The report")
    response = checker_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "annotations",
            "model_name": "citation",
            "field_name": "source",
            "term": "HTTPS://Example.org/report/?utm_source=x",
        },
    )
    assert [row["text"] for row in response.json()["results"]] == ["The report (Example Publisher)"]
