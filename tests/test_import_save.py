from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from articles.importing.save import ImportResult, import_file
from articles.importing.uploads import stored_name
from articles.models import Article, Author, Outlet, Paragraph
from tests.import_samples import SAMPLE, english_article

pytestmark = pytest.mark.django_db


def stored_files() -> list:
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_it_saves_the_article_its_paragraphs_and_the_original_file():
    data = SAMPLE.read_bytes()
    result = import_file("multi-vector.txt", data)
    assert result.status == ImportResult.CREATED and result.error is None
    article = Article.objects.get()
    assert result.article == article
    assert article.status == Article.Status.DRAFT
    assert article.title == "Multi-vector policy in Kazakh style"
    assert article.published_on == datetime.date(2025, 2, 4)
    assert (article.author.name, article.author.role) == ("Sergey Saenko", "International observer")
    assert (article.language, article.source_format, article.encoding) == ("en", "text", "utf-8")
    assert article.file_size == len(data)
    assert article.original_file.read() == data
    assert article.import_report["removed_furniture"] == [
        "X",
        "A source",
        "Comments",
        "0",
        "Read on the topic",
    ]
    assert list(article.paragraphs.values_list("position", flat=True)) == list(range(1, 16))
    assert result.paragraph_count == 15


def test_the_same_file_again_is_a_duplicate_of_the_first_import():
    data = english_article().encode()
    first = import_file("a.txt", data)
    second = import_file("renamed.txt", data)
    assert second.status == ImportResult.DUPLICATE
    assert second.article == first.article
    assert second.paragraph_count == 3
    assert Article.objects.count() == 1
    assert len(stored_files()) == 1


def test_a_changed_file_is_a_new_article():
    import_file("a.txt", english_article().encode())
    result = import_file("a.txt", english_article(seed="changed").encode())
    assert result.status == ImportResult.CREATED
    assert Article.objects.count() == 2
    assert result.article.slug == "why-bridges-matter-2"


def test_a_failure_mid_save_leaves_no_rows_and_no_stored_file(monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("disk on fire")

    monkeypatch.setattr(Paragraph.objects, "bulk_create", fail)
    text = english_article() + "\nJane Doe,\nSenior Fellow\n"
    with pytest.raises(IntegrityError):
        import_file("a.txt", text.encode(), outlet_name="New Outlet")
    assert (
        Article.objects.count(),
        Author.objects.count(),
        Outlet.objects.count(),
        Paragraph.objects.count(),
    ) == (
        0,
        0,
        0,
        0,
    )
    assert stored_files() == []


def test_a_bad_file_is_an_error_result_and_saves_nothing():
    result = import_file("empty.txt", b"")
    assert (result.status, result.article, result.error) == (ImportResult.ERROR, None, "The file is empty.")
    assert not Article.objects.exists()
    assert stored_files() == []


def test_new_imports_are_drafts_unless_told_otherwise():
    assert import_file("a.txt", english_article(seed="1").encode()).article.status == "draft"
    published = import_file("b.txt", english_article(seed="2").encode(), status="published").article
    assert published.status == "published" and published.first_published_at is not None


def test_outlet_by_name_is_reused_case_insensitively_or_created():
    existing = Outlet.objects.create(name="The Daily Example")
    first = import_file("a.txt", english_article(seed="1").encode(), outlet_name="the daily example")
    second = import_file("b.txt", english_article(seed="2").encode(), outlet_name="Brand New")
    assert first.article.outlet == existing
    assert second.article.outlet.name == "Brand New"


def test_the_same_author_is_reused_for_the_same_outlet():
    for seed in ("1", "2"):
        import_file(f"{seed}.txt", (english_article(seed=seed) + "\nJane Doe,\nSenior Fellow\n").encode())
    assert Author.objects.get().articles.count() == 2


def test_paragraph_writes_do_not_grow_with_paragraphs():
    with CaptureQueriesContext(connection) as short:
        import_file("short.txt", english_article(seed="s", paragraphs=2).encode())
    with CaptureQueriesContext(connection) as long:
        import_file("long.txt", english_article(seed="l", paragraphs=60).encode())
    assert Paragraph.objects.count() == 62
    assert len(long) == len(short) <= 25


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/absolute/path/article.txt", "article.txt"),
        ("..", "upload"),
        ("", "upload"),
        ("my article (final).docx", "my_article_final.docx"),
        (".htaccess", "htaccess"),
    ],
)
def test_stored_file_names_are_safe(name, expected):
    assert stored_name(name) == expected


def test_an_upload_name_with_a_path_cannot_escape_the_media_root():
    result = import_file("../../../../outside.txt", english_article().encode())
    stored = settings.MEDIA_ROOT / result.article.original_file.name
    assert stored.resolve().is_relative_to(settings.MEDIA_ROOT.resolve())
    assert stored.name == "outside.txt"
    assert stored.read_bytes() == english_article().encode()


def test_a_concurrent_import_of_the_same_file_is_reported_as_a_duplicate(monkeypatch):
    from articles.importing import save

    data = english_article().encode()
    first = import_file("a.txt", data).article
    real_find = save.find_duplicate
    calls = []

    def misses_once(data):
        # As if the other import committed between the check and the save.
        calls.append(data)
        return None if len(calls) == 1 else real_find(data)

    monkeypatch.setattr(save, "find_duplicate", misses_once)
    result = import_file("b.txt", data)
    assert (result.status, result.article) == (ImportResult.DUPLICATE, first)
    assert Article.objects.count() == 1
    assert len(stored_files()) == 1
