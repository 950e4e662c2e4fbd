"""Bulk builders for public-page tests that need many rows quickly."""

from __future__ import annotations

from datetime import date

from annotations.models import Annotation, Citation, Correction, Rating, Source
from articles.models import Article, Paragraph
from tests.factories import ArticleFactory

TEXT = "The quick brown fox jumps over the lazy dog while the cat watches from the fence."


def annotated_article(annotations: int, paragraphs: int = 40, **fields) -> Article:
    """A published article whose published claims each cite a source; every fifth was corrected."""
    article = ArticleFactory(original_url="https://news.example.com/piece", **fields)
    article.tags.add("alpha", "beta")
    rows = Paragraph.objects.bulk_create(
        Paragraph(article=article, position=i + 1, text=TEXT, key=f"k{i:04d}") for i in range(paragraphs)
    )
    false, true = Rating.objects.get(slug="false"), Rating.objects.get(slug="true")
    spans = [(4, 15), (10, 19), (0, len(TEXT)), (20, 25)]
    notes = Annotation.objects.bulk_create(
        Annotation(
            article=article,
            paragraph=rows[i % paragraphs],
            exact=TEXT[spans[i % 4][0] : spans[i % 4][1]],
            start=spans[i % 4][0],
            end=spans[i % 4][1],
            kind=Annotation.Kind.CLAIM,
            rating=true,
            claim_text=f"Claim {i}",
            conclusion="Checked.",
            body="A note.",
            status=Annotation.Status.PUBLISHED,
        )
        for i in range(annotations)
    )
    sources = Source.objects.bulk_create(
        Source(url=f"https://example.org/{article.pk}/{i}", title=f"Source {i}", publisher="Publisher")
        for i in range(annotations)
    )
    Citation.objects.bulk_create(
        Citation(annotation=a, source=s) for a, s in zip(notes, sources, strict=True)
    )
    Correction.objects.bulk_create(
        Correction(
            annotation=a, date=date(2025, 3, 1), old_rating=false, new_rating=true, note="New evidence."
        )
        for a in notes[::5]
    )
    return article
