"""A small archive with known contents, shared by the search, export and API tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from annotations.models import Annotation
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    AuthorFactory,
    CitationFactory,
    OutletFactory,
    ParagraphFactory,
    SourceFactory,
    rating,
)


@dataclass
class Archive:
    pipeline: object
    pension: object
    draft_article: object
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
        title="Pipeline politics", author=ayan, outlet=herald, published_on=datetime.date(2023, 5, 2)
    )
    pipeline.tags.add("energy", "russia")
    p1 = ParagraphFactory(
        article=pipeline, position=1, text="The pipeline carries gas across the steppe to the coast."
    )
    p2 = ParagraphFactory(
        article=pipeline, position=2, text="Officials promised that tariffs would fall by half next year."
    )
    pension = ArticleFactory(
        title="Pension reform", author=mira, outlet=courier, published_on=datetime.date(2024, 9, 15)
    )
    pension.tags.add("pensions")
    q1 = ParagraphFactory(
        article=pension, position=1, text="The pension age rises to sixty-five, the minister said on Monday."
    )
    q2 = ParagraphFactory(
        article=pension, position=2, text="Gas prices also rose, adding to household costs."
    )

    draft_article = ArticleFactory(
        title="Unpublished secretword draft", author=mira, outlet=courier, status="draft"
    )
    draft_article.tags.add("energy")
    d1 = ParagraphFactory(
        article=draft_article, position=1, text="A secretword paragraph about the pipeline."
    )

    pipeline_claim = AnnotationFactory(
        paragraph=p2,
        exact="tariffs would fall by half",
        claim_text="Tariffs will fall by half next year.",
        conclusion="No budget line supports a fall of that size.",
        rating=rating("false"),
    )
    pipeline_claim.tags.add("energy", "tariffs")
    pipeline_note = AnnotationFactory(
        paragraph=p1,
        exact="carries gas",
        kind="note",
        rating=None,
        claim_text="",
        conclusion="",
        body='=HYPERLINK("http://evil.example") The route was built in 2009.',
    )
    pipeline_note.tags.add("energy")
    pension_claim = AnnotationFactory(
        paragraph=q1,
        exact="rises to sixty-five",
        claim_text="The pension age rises to 65.",
        conclusion="The law sets 65 from 2028.",
        rating=rating("true"),
    )
    pension_claim.tags.add("pensions", "tariffs")
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
    )
    draft_annotation.tags.add("hiddentag", "energy")
    hidden_annotation = AnnotationFactory(
        paragraph=d1, exact="secretword paragraph", rating=rating("misleading")
    )
    hidden_annotation.tags.add("energy")
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
