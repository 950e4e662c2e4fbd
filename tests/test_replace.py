from __future__ import annotations

import pytest

from annotations import following
from articles import changes
from articles.importing import parse_file
from articles.importing.base import ImportProblem, ParsedArticle, ParsedParagraph
from articles.importing.replace import replace_article_text
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    "Exports of grain rose by a fifth in 2023, the ministry said.",
    "The new pipeline will carry gas to China from next year.",
    "Critics say the treaty was signed without a public debate.",
]


def article_with(texts: list[str]):
    article = ArticleFactory()
    paragraphs = [ParagraphFactory(article=article, position=n, text=t) for n, t in enumerate(texts, 1)]
    return article, paragraphs


def parsed(*texts: str) -> ParsedArticle:
    return ParsedArticle(title="Corrected", paragraphs=[ParsedParagraph(t) for t in texts])


def test_unchanged_paragraphs_keep_keys_and_annotations():
    article, paragraphs = article_with(TEXTS)
    note = AnnotationFactory(paragraph=paragraphs[1], exact="pipeline", kind="note", rating=None)

    counts = replace_article_text(article, parsed(*TEXTS))

    assert counts == {"kept": 1, "moved": 0, "orphaned": 0}
    assert [p.key for p in article.paragraphs.order_by("position")] == [p.key for p in paragraphs]
    note.refresh_from_db()
    assert note.anchor_state == "anchored"


def test_an_edited_paragraph_keeps_its_key_and_moves_its_annotation():
    article, paragraphs = article_with(TEXTS)
    claim = AnnotationFactory(paragraph=paragraphs[0], exact="rose by a fifth")
    edited = "According to the ministry, exports of grain rose by a fifth in 2023."

    counts = replace_article_text(article, parsed(edited, TEXTS[1], TEXTS[2]))

    assert counts == {"kept": 0, "moved": 1, "orphaned": 0}
    first = article.paragraphs.get(position=1)
    assert first.key == paragraphs[0].key
    claim.refresh_from_db()
    assert claim.anchor_state == "moved"
    assert first.text[claim.start : claim.end] == "rose by a fifth"


def test_a_removed_quote_orphans_its_annotation_and_keeps_it():
    article, paragraphs = article_with(TEXTS)
    claim = AnnotationFactory(paragraph=paragraphs[2], exact="without a public debate")

    counts = replace_article_text(article, parsed(TEXTS[0], TEXTS[1]))

    assert counts == {"kept": 0, "moved": 0, "orphaned": 1}
    claim.refresh_from_db()
    assert claim.paragraph is None
    assert claim.anchor_state == "orphaned"
    assert claim.exact == "without a public debate"
    assert article.paragraphs.count() == 2


def test_inserted_paragraphs_shift_positions_but_not_keys():
    article, paragraphs = article_with(TEXTS)
    new_first = "A paragraph that the corrected version adds at the top of the article."

    replace_article_text(article, parsed(new_first, *TEXTS))

    rows = list(article.paragraphs.order_by("position").values_list("position", "key", "text"))
    assert [row[0] for row in rows] == [1, 2, 3, 4]
    assert rows[0][2] == new_first
    assert [row[1] for row in rows[1:]] == [p.key for p in paragraphs]


def test_a_quote_from_a_split_paragraph_is_found_in_the_new_paragraph():
    article, paragraphs = article_with([TEXTS[0], TEXTS[1] + " " + TEXTS[2]])
    claim = AnnotationFactory(paragraph=paragraphs[1], exact="signed without a public debate")

    counts = replace_article_text(article, parsed(TEXTS[0], "Completely rewritten words here.", TEXTS[2]))

    claim.refresh_from_db()
    assert counts["moved"] + counts["kept"] == 1
    assert claim.paragraph.text == TEXTS[2]


def replace_failing_half_way(monkeypatch, article, corrected: ParsedArticle, **kwargs) -> None:
    """Replace the text of an annotated article, with re-anchoring failing after the paragraphs changed."""

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(following, "rehome", explode)
    with pytest.raises(RuntimeError):
        replace_article_text(article, corrected, **kwargs)


def test_nothing_changes_when_the_replacement_fails(monkeypatch):
    article, paragraphs = article_with(TEXTS)
    AnnotationFactory(paragraph=paragraphs[0], exact="rose by a fifth")

    replace_failing_half_way(monkeypatch, article, parsed("Changed.", "Entirely different text now."))

    assert list(article.paragraphs.order_by("position").values_list("text", flat=True)) == TEXTS


def test_corrected_versions_are_parsed_by_the_importer_for_encodings_and_bad_files():
    parsed = parse_file(
        "latin.txt", "Menu\n\nCafé society\n\nThe café opened in 1902 on the square.".encode("latin-1")
    )
    assert parsed.paragraphs[-1].text == "The café opened in 1902 on the square."
    with pytest.raises(ImportProblem, match="The file is empty."):
        parse_file("empty.txt", b"")


def test_editing_a_paragraph_re_anchors_its_annotations(paragraph):
    claim = AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    note = AnnotationFactory(paragraph=paragraph, exact="quick brown fox", kind="note", rating=None)
    paragraph.text = "The cat jumps over the very lazy dog. The dog sleeps."
    with changes.collect() as collected:
        paragraph.save()

    assert changes.anchoring_counts(collected) == {"kept": 0, "moved": 1, "orphaned": 1}
    claim.refresh_from_db()
    note.refresh_from_db()
    assert (claim.anchor_state, paragraph.text[claim.start : claim.end]) == ("moved", "lazy dog")
    assert (note.anchor_state, note.paragraph_id) == ("orphaned", None)


def test_the_corrected_file_is_stored_with_its_name_hash_and_size_in_the_report(settings):
    from django.core.files.storage import default_storage

    from articles.importing.save import sha256_of

    article, _ = article_with(TEXTS)
    data = b"Corrected\n\nExports of grain rose by a fifth in 2023.\n"
    replace_article_text(
        article,
        parsed("Exports of grain rose by a fifth in 2023."),
        filename="../../x/Ré sumé v2.txt",
        data=data,
    )

    entry = article.import_report["replacements"][-1]
    assert entry["stored_file"].startswith("corrections/")
    assert entry["stored_file"].endswith("Ré_sumé_v2.txt")
    assert ".." not in entry["stored_file"]
    assert (entry["sha256"], entry["size"]) == (sha256_of(data), len(data))
    with default_storage.open(entry["stored_file"]) as stored:
        assert stored.read() == data
    article.refresh_from_db()
    assert article.import_report["replacements"][-1] == entry


def test_the_report_counts_paragraphs_before_after_added_and_removed():
    article, _ = article_with(TEXTS)
    replace_article_text(
        article, parsed(TEXTS[0], "A paragraph nobody meant to add here.", TEXTS[1], TEXTS[2])
    )
    entry = article.import_report["replacements"][-1]
    assert (entry["paragraphs_before"], entry["paragraphs"], entry["added"], entry["removed"]) == (3, 4, 1, 0)


def test_a_failed_replacement_leaves_no_stored_file(monkeypatch, settings):
    article, paragraphs = article_with(TEXTS)
    AnnotationFactory(paragraph=paragraphs[0], exact="rose by a fifth")

    replace_failing_half_way(
        monkeypatch, article, parsed("Changed.", "Entirely different."), filename="c.txt", data=b"x"
    )
    corrections = settings.MEDIA_ROOT / "corrections"
    assert not corrections.exists() or not [p for p in corrections.rglob("*") if p.is_file()]
