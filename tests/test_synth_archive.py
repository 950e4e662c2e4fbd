from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation
from articles.models import Article, Paragraph
from research.facets import facets_for
from research.filters import search_filterset

pytestmark = pytest.mark.django_db


def test_it_creates_the_requested_archive(capsys):
    call_command("synth_archive", "--articles", "12", "--paragraphs", "5", "--annotations", "2")
    assert Article.objects.count() == 12
    assert Paragraph.objects.count() == 60
    assert Annotation.objects.count() == 24
    assert "Created 12 articles, 60 paragraphs and 24 annotations" in capsys.readouterr().out


def test_its_anchors_match_their_paragraphs(db):
    call_command("synth_archive", "--articles", "5")
    for annotation in Annotation.objects.select_related("paragraph"):
        text = annotation.paragraph.text
        assert text[annotation.start : annotation.end] == annotation.exact
        assert text[: annotation.start].endswith(annotation.prefix)


def test_its_archive_is_searchable_with_facets(db):
    call_command("synth_archive", "--articles", "20")
    common = Annotation.objects.published().values_list("tags__slug", flat=True).order_by("tags__slug")[:2]
    filterset = search_filterset({"q": "government or minister", "tag": list(common), "match": "any"})
    assert filterset.is_valid(), filterset.errors
    assert filterset.qs.count() > 0
    assert set(facets_for(filterset).groups()) == {"tag", "rating", "outlet", "author", "kind", "year"}


def test_it_refuses_nonsense_counts(db):
    with pytest.raises(CommandError, match="--articles"):
        call_command("synth_archive", "--articles", "0")
