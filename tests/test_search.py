from __future__ import annotations

import pytest
from django.db import connection

from annotations.models import Annotation, Tag
from articles.models import Article, Paragraph
from research.backends import backend, search
from research.facets import facets_for
from research.filters import search_filterset
from research.query import SearchInputError, parse_query
from research.snippets import snippets
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


def ids(queryset) -> set[int]:
    return {obj.pk for obj in queryset}


def results(**params) -> set[int]:
    filterset = search_filterset(params)
    assert filterset.is_valid(), filterset.errors
    return ids(filterset.qs)


def test_parse_query_understands_phrases_exclusions_and_or():
    parsed = parse_query('gas "pension age" -tariffs or steppe')
    assert [[(t.words, t.negated) for t in group] for group in parsed.groups] == [
        [(("gas",), False), (("pension", "age"), False), (("tariffs",), True)],
        [(("steppe",), False)],
    ]


@pytest.mark.parametrize("q", ["-", '""', "- -", "-gas", '-"gas prices"', "or"])
def test_parse_query_rejects_operators_without_words(q):
    with pytest.raises(SearchInputError, match="no words to look for"):
        parse_query(q)


def test_parse_query_rejects_a_huge_query():
    with pytest.raises(SearchInputError, match="the limit is 200"):
        parse_query("word " * 100)


def test_plain_words_find_paragraphs(archive):
    assert ids(search(Paragraph.objects.published(), "pipeline carries")) == {
        archive.pipeline_note.paragraph_id
    }


def test_every_word_must_match(archive):
    assert ids(search(Paragraph.objects.published(), "gas coast")) == {archive.pipeline_note.paragraph_id}
    assert ids(search(Paragraph.objects.published(), "gas minister")) == set()


def test_or_finds_either(archive):
    found = ids(search(Paragraph.objects.published(), "coast or minister"))
    assert found == {archive.pipeline_note.paragraph_id, archive.pension_claim.paragraph_id}


def test_minus_excludes_a_word(archive):
    found = ids(search(Paragraph.objects.published(), "gas -household"))
    assert found == {archive.pipeline_note.paragraph_id}


def test_a_quoted_phrase_needs_its_words_together(archive):
    assert ids(search(Paragraph.objects.published(), '"pension age"')) == {archive.pension_claim.paragraph_id}
    assert ids(search(Paragraph.objects.published(), '"age pension"')) == set()


def test_search_ignores_case_and_punctuation(archive):
    assert ids(search(Paragraph.objects.published(), "MINISTER, Monday!")) == {
        archive.pension_claim.paragraph_id
    }


def test_articles_match_by_title_or_paragraph(archive):
    assert ids(search(Article.objects.published(), "politics")) == {archive.pipeline.pk}
    assert ids(search(Article.objects.published(), "minister")) == {archive.pension.pk}


def test_annotations_match_their_own_text_or_their_passage(archive):
    assert ids(search(Annotation.objects.published(), "budget")) == {archive.pipeline_claim.pk}
    # "household" is only in the paragraph the source annotation sits on.
    assert ids(search(Annotation.objects.published(), "household")) == {archive.pension_source.pk}


def test_drafts_never_match(archive):
    assert results(q="secretword") == set()
    assert results(q="secretword", type="articles") == set()
    assert results(q="secretword", type="paragraphs") == set()


def test_search_follows_text_edits(archive):
    paragraph = archive.pension_claim.paragraph
    annotation = archive.pension_claim
    annotation.paragraph = None
    annotation.anchor_state = Annotation.AnchorState.ORPHANED
    annotation.save()
    paragraph.text = "An entirely different sentence about wheat."
    paragraph.save()
    assert ids(search(Paragraph.objects.all(), "wheat")) == {paragraph.pk}
    assert ids(search(Paragraph.objects.all(), "minister")) == set()


def test_russian_articles_are_found_by_their_own_words(db):
    article = ArticleFactory(title="Пенсионная реформа", language="ru")
    paragraph = ParagraphFactory(article=article, position=1, text="Министр объявил о повышении пенсий.")
    assert ids(search(Paragraph.objects.all(), "министр")) == {paragraph.pk}
    assert ids(search(Article.objects.all(), "пенсионная")) == {article.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is a PostgreSQL feature")
def test_postgresql_stems_english_words(archive):
    # "promising" is not in the text; its English stem is the stem of "promised".
    assert ids(search(Paragraph.objects.all(), "promising tariff")) == {archive.pipeline_claim.paragraph_id}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes exist on PostgreSQL only")
def test_postgresql_keeps_stored_vectors_current(archive):
    article = Article.objects.get(pk=archive.pension.pk)
    assert article.search_vector
    Article.objects.filter(pk=article.pk).update(language="ru")
    # Changing the language re-derives the paragraphs' vectors with the new configuration.
    assert ids(search(Paragraph.objects.all(), "minister")) == {archive.pension_claim.paragraph_id}


def test_tags_all_needs_every_tag(archive):
    assert results(tag=["energy", "tariffs"]) == {archive.pipeline_claim.pk}
    assert results(tag=["energy", "tariffs"], match="all") == {archive.pipeline_claim.pk}


def test_tags_any_needs_one_tag(archive):
    assert results(tag=["energy", "tariffs"], match="any") == {
        archive.pipeline_claim.pk,
        archive.pipeline_note.pk,
        archive.pension_claim.pk,
    }


def test_tags_of_paragraphs_are_their_articles_tags(archive):
    pipeline_paragraphs = ids(archive.pipeline.paragraphs.all())
    assert results(type="paragraphs", tag=["energy"]) == pipeline_paragraphs
    assert results(type="paragraphs", tag=["energy", "pensions"], match="any") == pipeline_paragraphs | ids(
        archive.pension.paragraphs.all()
    )
    assert results(type="articles", tag=["energy", "russia"]) == {archive.pipeline.pk}


def test_rating_filter_takes_several_ratings(archive):
    assert results(rating=["false"]) == {archive.pipeline_claim.pk}
    assert results(rating=["false", "true"]) == {archive.pipeline_claim.pk, archive.pension_claim.pk}


def test_rating_of_articles_and_paragraphs_comes_from_published_annotations(archive):
    assert results(type="articles", rating=["true"]) == {archive.pension.pk}
    assert results(type="paragraphs", rating=["false"]) == {archive.pipeline_claim.paragraph_id}
    # Only the draft annotation carries "mostly false".
    assert results(type="articles", rating=["mostly-false"]) == set()


def test_outlet_author_language_kind_filters(archive):
    assert results(outlet=archive.pipeline.outlet.slug) == {
        archive.pipeline_claim.pk,
        archive.pipeline_note.pk,
    }
    assert results(author=archive.pension.author.slug, kind="claim") == {archive.pension_claim.pk}
    assert results(kind="source") == {archive.pension_source.pk}
    assert results(language="ru") == set()
    assert results(type="articles", kind="note") == {archive.pipeline.pk}


def test_dates_bound_the_publication_date(archive):
    assert results(type="articles", **{"from": "2024-01-01"}) == {archive.pension.pk}
    assert results(type="articles", to="2023-12-31") == {archive.pipeline.pk}
    assert results(type="articles", **{"from": "2023-05-02", "to": "2023-05-02"}) == {archive.pipeline.pk}


def test_filters_combine_with_full_text(archive):
    assert results(q="gas", tag=["energy"]) == {archive.pipeline_note.pk}
    assert results(q="gas", type="paragraphs", outlet=archive.pension.outlet.slug) == {
        archive.pension_source.paragraph_id
    }


def test_sort_orders_by_publication_date(archive):
    def titles(sort):
        filterset = search_filterset({"type": "articles", "sort": sort})
        assert filterset.is_valid()
        return [a.title for a in filterset.qs]

    assert titles("newest") == ["Pension reform", "Pipeline politics"]
    assert titles("oldest") == ["Pipeline politics", "Pension reform"]


def test_relevance_sort_runs_with_a_query(archive):
    filterset = search_filterset({"q": "gas", "sort": "relevance", "type": "paragraphs"})
    assert filterset.is_valid()
    assert len(filterset.qs) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2024-13-01"}, "Enter dates as YYYY-MM-DD"),
        ({"from": "2024-05-01", "to": "2024-01-01"}, "end date is before the start date"),
        ({"rating": ["fantastic"]}, "Unknown rating: fantastic"),
        ({"tag": ["nosuchtag"]}, "Unknown tag: nosuchtag"),
        ({"outlet": "nowhere"}, "Unknown outlet: nowhere"),
        ({"author": "nobody"}, "Unknown author: nobody"),
        ({"page": "999999"}, "page number is too large"),
        ({"page": "two"}, "page must be a whole number"),
        ({"q": "-"}, "no words to look for"),
        ({"q": "x" * 5000}, "the limit is 200"),
        ({"kind": "poem"}, "kind must be claim, source or note, not poem."),
        ({"match": "some"}, "match must be all or any, not some."),
        ({"sort": "random"}, "sort must be relevance, newest or oldest, not random."),
        ({"type": "tweets"}, "type must be annotations, paragraphs or articles, not tweets."),
    ],
)
def test_bad_input_is_named(archive, params, message):
    filterset = search_filterset(params)
    assert not filterset.is_valid()
    assert message in str(filterset.errors)


def test_an_unknown_tag_suggests_a_close_one(archive):
    filterset = search_filterset({"tag": ["energ"]})
    assert not filterset.is_valid()
    assert "Did you mean energy?" in str(filterset.errors)


@pytest.mark.parametrize("data_type", ["annotations", "paragraphs", "articles"])
def test_facet_counts_agree_with_the_results_they_link_to(archive, data_type):
    filterset = search_filterset({"type": data_type})
    assert filterset.is_valid()
    facets = facets_for(filterset).groups()
    assert facets["tag"] and facets["outlet"] and facets["year"]
    params_for = {
        "tag": lambda v: {"tag": [v]},
        "rating": lambda v: {"rating": [v]},
        "outlet": lambda v: {"outlet": v},
        "author": lambda v: {"author": v},
        "kind": lambda v: {"kind": v},
        "year": lambda v: {"from": f"{v}-01-01", "to": f"{v}-12-31"},
    }
    for name, rows in facets.items():
        for row in rows:
            assert len(results(type=data_type, **params_for[name](row["value"]))) == row["count"], (name, row)


def test_facets_leave_out_drafts(archive):
    filterset = search_filterset({})
    assert filterset.is_valid()
    facets = facets_for(filterset).groups()
    assert "hiddentag" not in {row["value"] for row in facets["tag"]}
    assert "mostly-false" not in {row["value"] for row in facets["rating"]}
    assert "misleading" not in {row["value"] for row in facets["rating"]}
    assert {row["value"]: row["count"] for row in facets["tag"]}["energy"] == 2


def test_facets_count_within_the_current_results(archive):
    filterset = search_filterset({"q": "pension"})
    assert filterset.is_valid()
    assert {row["value"]: row["count"] for row in facets_for(filterset).groups()["outlet"]} == {
        archive.pension.outlet.slug: 1
    }


def test_snippets_highlight_the_words_and_escape_the_text(archive):
    paragraph = ParagraphFactory(
        article=archive.pension, position=3, text="Gas <script>alert(1)</script> pricing & politics."
    )
    filterset = search_filterset({"q": "pricing", "type": "paragraphs"})
    assert filterset.is_valid()
    snippet = snippets(filterset, list(filterset.qs))[paragraph.pk]["passage"]
    assert "<mark>pricing</mark>" in snippet
    assert "<script>" not in snippet
    assert "&amp; politics" in snippet


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_snippets_of_a_long_passage_start_and_end_between_words(archive, where):
    import re

    words = [f"{'w' * (1 + n % 9)}{n}" for n in range(120)]  # of many lengths, so a cut can fall anywhere
    at = {"start": 2, "middle": 60, "end": 117}[where]
    words[at] = "Zanzibarite"
    paragraph = ParagraphFactory(article=archive.pension, position=3, text=" ".join(words) + ".")
    filterset = search_filterset({"q": "zanzibarite", "type": "paragraphs"})
    assert filterset.is_valid()
    snippet = snippets(filterset, list(filterset.qs))[paragraph.pk]["passage"]
    text = re.sub(r"</?mark>", "", str(snippet)).strip(" …")
    assert "Zanzibarite" in text
    pieces = text.split()
    # Every piece is a whole word of the paragraph: nothing cut in the middle at either end.
    assert all(piece.rstrip(".") in words for piece in pieces), pieces[:2] + pieces[-2:]


def test_article_snippets_come_from_the_first_matching_paragraph(archive):
    filterset = search_filterset({"q": "minister", "type": "articles"})
    assert filterset.is_valid()
    snippet = snippets(filterset, list(filterset.qs))[archive.pension.pk]["passage"]
    assert "<mark>minister</mark>" in snippet


def test_similar_finds_tags_by_a_near_spelling(archive):
    from taggit.models import Tag

    assert "pensions" in [tag.name for tag in backend().similar(Tag.objects.all(), "name", "pension")]


def test_co_occurring_tags_count_shared_articles_and_annotations(archive):
    counted = {tag.name: n for tag, n in Tag.objects.found_with(Tag.objects.get(slug="energy"))}
    # energy+russia on one article; energy+tariffs on one annotation; draft content not counted.
    assert counted == {"russia": 1, "tariffs": 1}


def test_co_occurring_tags_include_drafts_for_staff(archive, editor):
    counted = {tag.name: n for tag, n in Tag.objects.found_with(Tag.objects.get(slug="energy"), editor)}
    assert counted["hiddentag"] == 1


def test_a_published_annotation_on_a_new_article_is_found_at_once(db):
    paragraph = ParagraphFactory(text="Zanzibar exports cloves.")
    annotation = AnnotationFactory(paragraph=paragraph, exact="cloves", claim_text="Cloves are exported.")
    assert ids(search(Annotation.objects.published(), "cloves")) == {annotation.pk}


def test_relevance_puts_a_match_in_the_claim_above_one_in_the_passage_on_both_databases():
    import datetime

    # The passage-only match is the newest, so ordering by date alone would put it first.
    newest = ArticleFactory(published_on=datetime.date(2025, 1, 1))
    passage = ParagraphFactory(article=newest, text="Harbour dues were raised twice last year.")
    in_passage = AnnotationFactory(paragraph=passage, exact="", claim_text="Costs went up.", conclusion="")
    older = ArticleFactory(published_on=datetime.date(2020, 1, 1))
    in_claim = AnnotationFactory(
        paragraph=ParagraphFactory(article=older, text="Shipping costs went up."),
        exact="",
        claim_text="Harbour dues doubled.",
        conclusion="",
    )
    both = AnnotationFactory(
        paragraph=ParagraphFactory(article=older, text="The harbour is busy."),
        exact="",
        claim_text="Harbour dues rose.",
        conclusion="The dues rose by half.",
    )
    filterset = search_filterset({"q": "harbour dues", "sort": "relevance"})
    assert filterset.is_valid(), filterset.errors
    ranked = list(filterset.qs.values_list("pk", flat=True))
    assert ranked.index(in_claim.pk) < ranked.index(in_passage.pk)
    assert ranked.index(both.pk) < ranked.index(in_passage.pk)


def test_co_occurring_tags_are_counted_among_what_was_added_last_with_the_tag(archive):
    energy = Tag.objects.get(slug="energy")
    older = ArticleFactory(status=Article.Status.PUBLISHED)
    older.tags.add("energy", "older-topic")
    newer = ArticleFactory(status=Article.Status.PUBLISHED)
    newer.tags.add("energy", "newer-topic")
    hidden = ArticleFactory(status=Article.Status.DRAFT)
    hidden.tags.add("energy", "draft-topic")
    counted = {tag.name for tag, _n in Tag.objects.found_with(energy, sample=1)}
    # The one article sampled is the last added that readers may see: not the draft added after it.
    assert "newer-topic" in counted
    assert not {"older-topic", "draft-topic"} & counted
