from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.import_samples import FIXTURES, SAMPLE, english_article

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return out.getvalue(), err.getvalue(), code


@pytest.fixture
def batch(tmp_path):
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "sample.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "nested" / "column.md").write_bytes((FIXTURES / "column.md").read_bytes())
    (tmp_path / "nested" / "deeper" / "empty.txt").write_bytes(b"")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00junk")
    return tmp_path


def test_json_lines_describe_each_file_and_errors_exit_1(batch):
    out, _err, code = run(str(batch), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [line["file"] for line in lines] == [
        str(batch / "nested" / "column.md"),
        str(batch / "nested" / "deeper" / "empty.txt"),
        str(batch / "sample.txt"),
    ]
    column, empty, sample = lines
    assert sample == {
        "file": str(batch / "sample.txt"),
        "status": "created",
        "article": {
            "id": Article.objects.get(title="Multi-vector policy in Kazakh style").pk,
            "slug": "multi-vector-policy-in-kazakh-style",
            "title": "Multi-vector policy in Kazakh style",
            "published": "2025-02-04",
            "author": "Sergey Saenko",
            "language": "en",
            "paragraphs": 15,
        },
        "error": None,
    }
    assert column["status"] == "created" and column["article"]["published"] == "2025-06-03"
    assert empty == {
        "file": str(batch / "nested" / "deeper" / "empty.txt"),
        "status": "error",
        "article": None,
        "error": "The file is empty.",
    }


def test_it_exits_0_when_every_file_imports_and_reports_duplicates(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(english_article().encode())
    out, _err, code = run(str(path), "--json")
    assert code == 0 and json.loads(out)["status"] == "created"
    out, _err, code = run(str(path), "--json")
    assert code == 0
    again = json.loads(out)
    assert again["status"] == "duplicate"
    assert again["article"]["id"] == Article.objects.get().pk
    assert again["article"]["paragraphs"] == 3


def test_a_missing_path_is_an_error_line(tmp_path):
    out, _err, code = run(str(tmp_path / "nope.txt"), "--json")
    assert code == 1
    assert json.loads(out) == {
        "file": str(tmp_path / "nope.txt"),
        "status": "error",
        "article": None,
        "error": "No such file or directory.",
    }


def test_outlet_and_status_options_apply_to_every_file(batch):
    run(
        str(batch / "sample.txt"),
        str(batch / "nested" / "column.md"),
        "--outlet",
        "Example Weekly",
        "--status",
        "published",
    )
    assert set(Article.objects.values_list("outlet__name", "status")) == {("Example Weekly", "published")}


def test_status_must_be_draft_or_published(tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_articles", str(tmp_path), "--status", "withdrawn")


def test_without_json_it_prints_results_progress_and_a_summary(tmp_path, settings):
    for n in range(30):
        (tmp_path / f"{n:02}.txt").write_bytes(english_article(seed=str(n)).encode())
    (tmp_path / "zz-empty.txt").write_bytes(b"")
    out, err, code = run(str(tmp_path))
    assert code == 1
    assert "31 files: 30 created, 0 duplicates, 1 error." in out
    assert f"error      {tmp_path / 'zz-empty.txt'}: The file is empty." in out
    assert "… 25/31 files" in err
    assert "1 of 31 files could not be imported." in err
