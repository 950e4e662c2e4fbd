"""The worlds several test modules share, all built from the factories in tests/factories.py.

- ``annotated_article``: one published article with many cited claims, for the reading view.
- ``make_archive``: a small archive with known contents, for search, exports and the API.
- ``build_world``: something in every state readers must or must not see, for the permission tests.
- ``SEARCH_FILTERS``: the filter parameters of the search page and the API.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory

from annotations.models import Annotation
from articles.models import Article, Paragraph
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    AuthorFactory,
    CitationFactory,
    CorrectionFactory,
    OutletFactory,
    ParagraphFactory,
    SourceFactory,
    rating,
)

# What the search page and the API take as filters (the API's paths fix the type) ---------------

SEARCH_FILTERS = ["q", "tag", "match", "rating", "outlet", "author", "language", "kind", "from", "to", "page"]


# One annotated article ------------------------------------------------------------------------

TEXT = "The quick brown fox jumps over the lazy dog while the cat watches from the fence."
QUOTES = ["quick brown", "brown fox", TEXT, "jumps"]


def annotated_article(annotations: int, paragraphs: int = 40, **fields) -> Article:
    """A published article whose published claims each cite a source; every fifth was corrected."""
    false, true = rating("false"), rating("true")
    article = ArticleFactory(original_url="https://news.example.com/piece", tags=["alpha", "beta"], **fields)
    rows = ParagraphFactory.create_batch(
        paragraphs, article=article, text=TEXT, position=factory.Iterator(range(1, paragraphs + 1))
    )
    claims = [
        AnnotationFactory(
            paragraph=rows[i % paragraphs],
            exact=QUOTES[i % len(QUOTES)],
            rating=true,
            claim_text=f"Claim {i}",
            conclusion="Checked.",
            body="A note.",
        )
        for i in range(annotations)
    ]
    for i, claim in enumerate(claims):
        CitationFactory(
            annotation=claim,
            source__url=f"https://example.org/{article.pk}/{i}",
            source__title=f"Source {i}",
            source__publisher="Publisher",
        )
    for claim in claims[::5]:
        CorrectionFactory(annotation=claim, date=datetime.date(2025, 3, 1), old_rating=false, new_rating=true)
    return article


# A small archive with known contents ----------------------------------------------------------


@dataclass
class Archive:
    pipeline: Article
    pension: Article
    draft_article: Article
    pipeline_claim: Annotation
    pipeline_note: Annotation
    pension_claim: Annotation
    pension_source: Annotation
    draft_annotation: Annotation
    hidden_annotation: Annotation


def make_archive() -> Archive:
    herald = OutletFactory(name="Steppe Herald")
    courier = OutletFactory(name="River Courier")
    ayan = AuthorFactory(name="Ayan Bek", outlet=herald)
    mira = AuthorFactory(name="Mira Sol", outlet=courier)

    pipeline = ArticleFactory(
        title="Pipeline politics",
        author=ayan,
        published_on=datetime.date(2023, 5, 2),
        tags=["energy", "russia"],
    )
    p1 = ParagraphFactory(
        article=pipeline, position=1, text="The pipeline carries gas across the steppe to the coast."
    )
    p2 = ParagraphFactory(
        article=pipeline, position=2, text="Officials promised that tariffs would fall by half next year."
    )
    pension = ArticleFactory(
        title="Pension reform", author=mira, published_on=datetime.date(2024, 9, 15), tags=["pensions"]
    )
    q1 = ParagraphFactory(
        article=pension, position=1, text="The pension age rises to sixty-five, the minister said on Monday."
    )
    q2 = ParagraphFactory(
        article=pension, position=2, text="Gas prices also rose, adding to household costs."
    )

    draft_article = ArticleFactory(
        title="Unpublished secretword draft", author=mira, status="draft", tags=["energy"]
    )
    d1 = ParagraphFactory(
        article=draft_article, position=1, text="A secretword paragraph about the pipeline."
    )

    pipeline_claim = AnnotationFactory(
        paragraph=p2,
        exact="tariffs would fall by half",
        claim_text="Tariffs will fall by half next year.",
        conclusion="No budget line supports a fall of that size.",
        rating=rating("false"),
        tags=["energy", "tariffs"],
    )
    pipeline_note = AnnotationFactory(
        paragraph=p1,
        exact="carries gas",
        kind="note",
        rating=None,
        claim_text="",
        conclusion="",
        body='=HYPERLINK("http://evil.example") The route was built in 2009.',
        tags=["energy"],
    )
    pension_claim = AnnotationFactory(
        paragraph=q1,
        exact="rises to sixty-five",
        claim_text="The pension age rises to 65.",
        conclusion="The law sets 65 from 2028.",
        rating=rating("true"),
        tags=["pensions", "tariffs"],
    )
    pension_source = AnnotationFactory(
        paragraph=q2, exact="Gas prices also rose", kind="source", rating=None, claim_text="", conclusion=""
    )
    CitationFactory(annotation=pension_source, source=SourceFactory(title="Household energy statistics"))
    draft_annotation = AnnotationFactory(
        paragraph=p1,
        exact="across the steppe",
        status="draft",
        claim_text="A secretword claim.",
        rating=rating("mostly-false"),
        tags=["hiddentag", "energy"],
    )
    hidden_annotation = AnnotationFactory(
        paragraph=d1, exact="secretword paragraph", rating=rating("misleading"), tags=["energy"]
    )
    return Archive(
        pipeline,
        pension,
        draft_article,
        pipeline_claim,
        pipeline_note,
        pension_claim,
        pension_source,
        draft_annotation,
        hidden_annotation,
    )


# Something in every state readers must or must not see ----------------------------------------

# Words that appear only in rows readers may not see; no public response may contain them.
SECRETS = {
    "draft article": "Zanzibarquill",
    "withdrawn article": "Quorvexian",
    "draft annotation": "Plimsoddle",
    "published annotation on a draft article": "Gribbleknot",
    "draft tag": "hushwort",
}
PUBLIC_WORD = "Openvale"


@dataclass
class World:
    published: Article
    draft: Article
    withdrawn: Article
    published_note: Annotation
    draft_note: Annotation
    note_on_draft: Annotation


def article_with_text(status: str, title: str, text: str, **fields) -> tuple[Article, Paragraph]:
    article = ArticleFactory(title=title, status=status, **fields)
    paragraph = ParagraphFactory(article=article, position=1, text=text)
    return article, paragraph


def build_world() -> World:
    published, paragraph = article_with_text(
        Article.Status.PUBLISHED,
        f"{PUBLIC_WORD} budget",
        f"{PUBLIC_WORD} spent the brown fox fund. The dog sleeps.",
        tags=["budget"],
    )
    published_note = AnnotationFactory(
        paragraph=paragraph, exact="brown fox", claim_text=f"{PUBLIC_WORD} claim", tags=["budget"]
    )
    CitationFactory(annotation=published_note)
    draft_note = AnnotationFactory(
        paragraph=paragraph,
        exact="dog sleeps",
        status=Annotation.Status.DRAFT,
        claim_text=f"{SECRETS['draft annotation']} claim",
        conclusion=f"{SECRETS['draft annotation']} conclusion",
        tags=[SECRETS["draft tag"]],
    )

    draft, draft_paragraph = article_with_text(
        Article.Status.DRAFT,
        f"{SECRETS['draft article']} plan",
        f"{SECRETS['draft article']} hides the brown fox. The dog sleeps.",
        tags=[SECRETS["draft tag"]],
    )
    note_on_draft = AnnotationFactory(
        paragraph=draft_paragraph,
        claim_text=f"{SECRETS['published annotation on a draft article']} claim",
        conclusion=f"{SECRETS['published annotation on a draft article']} conclusion",
    )
    withdrawn, _ = article_with_text(
        Article.Status.WITHDRAWN,
        f"{SECRETS['withdrawn article']} report",
        f"{SECRETS['withdrawn article']} was wrong about the brown fox.",
    )
    return World(published, draft, withdrawn, published_note, draft_note, note_on_draft)
