from __future__ import annotations

import json

import pytest

from annotations.models import Annotation
from tests.factories import AnnotationFactory
from tests.import_samples import SAMPLE
from tests.test_import_command import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_article(tmp_path):
    original = tmp_path / "original.txt"
    original.write_bytes(SAMPLE.read_bytes())
    out, _err, code = run(str(original), "--json", "--status", "published")
    assert code == 0
    return json.loads(out)["article"]["slug"]


def corrected(tmp_path, old: str, new: str):
    path = tmp_path / "corrected.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_replace_reanchors_and_reports_the_counts_as_json(tmp_path, demo_article):
    from articles.models import Article

    article = Article.objects.get(slug=demo_article)
    paragraphs = list(article.paragraphs.order_by("position"))
    key_of_first_body = paragraphs[1].key
    kept = AnnotationFactory(
        paragraph=paragraphs[2], exact="transnational corporations", rating=None, status="draft"
    )
    moved = AnnotationFactory(
        paragraph=paragraphs[1], exact="rich in natural resources", rating=None, status="draft"
    )
    gone = AnnotationFactory(paragraph=paragraphs[6], exact="Astra Mining", rating=None, status="draft")

    path = corrected(tmp_path, "After the collapse of the USSR", "Soon after the collapse of the USSR")
    path.write_text(
        path.read_text(encoding="utf-8").replace("Astra Mining", "a mining firm"), encoding="utf-8"
    )
    out, _err, code = run(str(path), "--replace", demo_article, "--json")

    assert code == 0
    line = json.loads(out)
    assert line["status"] == "replaced"
    assert line["article"]["slug"] == demo_article
    assert line["anchors"] == {"kept": 1, "moved": 1, "orphaned": 1}
    for annotation in (kept, moved, gone):
        annotation.refresh_from_db()
    assert kept.anchor_state == Annotation.AnchorState.ANCHORED
    assert moved.anchor_state == Annotation.AnchorState.MOVED
    assert moved.paragraph.text[moved.start : moved.end] == "rich in natural resources"
    assert gone.anchor_state == Annotation.AnchorState.ORPHANED
    assert article.paragraphs.get(position=2).key == key_of_first_body


def test_replace_with_an_unknown_slug_is_an_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(SAMPLE.read_bytes())
    _out, err, code = run(str(path), "--replace", "no-such-article")
    assert code != 0
    assert "No article has the slug 'no-such-article'" in err


def test_replace_with_a_bad_file_changes_nothing(tmp_path, demo_article):
    from articles.models import Article

    before = list(Article.objects.get(slug=demo_article).paragraphs.values_list("key", "text"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out, _err, code = run(str(empty), "--replace", demo_article, "--json")
    assert code == 1
    line = json.loads(out)
    assert line["status"] == "error"
    assert line["error"] == "The file is empty."
    assert line["anchors"] is None
    assert list(Article.objects.get(slug=demo_article).paragraphs.values_list("key", "text")) == before
