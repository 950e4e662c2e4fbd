from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from research.exports.records import COLUMNS
from research.exports.streams import PIECE, _cell, csv_line, neutralise, stream_csv

pytestmark = pytest.mark.django_db

# The W3C assertions live in shared/ beside the checkout (reference data, not part of the project).
W3C_TESTS = next(
    (
        folder / "standards" / "web-annotation-tests"
        for folder in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared"))
        if (folder / "standards" / "web-annotation-tests").is_dir()
    ),
    Path("/work/shared/standards/web-annotation-tests"),
)


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response))))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_defuses_spreadsheet_formulas(value):
    assert neutralise(value) == "'" + value


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("Gas prices") == "Gas prices"
    assert neutralise(None) == ""


def test_stream_csv_writes_every_kind_of_cell_safely_in_pieces():
    rows = [("=HYPERLINK(1)", 7, -3, None, ["a", "b"], "Gas, oil")] * 3000
    pieces = list(stream_csv(rows, ["text", "n", "neg", "none", "tags", "plain"]))
    rows = list(csv.reader(io.StringIO("".join(pieces))))
    assert rows[0] == ["text", "n", "neg", "none", "tags", "plain"]
    assert rows[1:] == [["'=HYPERLINK(1)", "7", "'-3", "", "a; b", "Gas, oil"]] * 3000
    # Handed on in pieces of about PIECE characters, not one write per row nor all at once.
    assert len(pieces) > 1
    assert all(len(piece) < 2 * PIECE for piece in pieces)


@pytest.mark.parametrize(
    "cells",
    [
        ["plain", 'a "quoted" word', "commas, and\nlines\r\nin it", "", None, 0, 12],
        ["=1+1", "ok", "-2", "+3", "@SUM(A1)", "\tTab", "\rReturn"],
        ["ok", "a NUL\x00inside", "=after a NUL", "x"],
        ["last cell is a formula", "=HYPERLINK(1)"],
        ['"', '""', "\x00", ",", "'=already quoted"],
        [["tag, one", "=tag"], [], -1, 2.5],
    ],
)
def test_a_csv_line_reads_back_as_its_cells_with_every_formula_neutralised(cells):
    line = csv_line(cells)
    assert line.endswith("\r\n")
    (read,) = list(csv.reader(io.StringIO(line)))
    assert read == [neutralise(_cell(cell) if cell.__class__ is not str else cell) for cell in cells]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in read)


def test_stream_csv_takes_a_single_column():
    pieces = "".join(stream_csv([("=x",), ("y",)], ["only"]))
    assert list(csv.reader(io.StringIO(pieces))) == [["only"], ["'=x"], ["y"]]


def test_csv_has_the_documented_columns_and_one_row_per_result(client, archive):
    response = client.get("/search/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response)
    assert text.splitlines()[0] == ",".join(COLUMNS["annotations"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {int(r["id"]) for r in rows} == {
        archive.pipeline_claim.pk,
        archive.pipeline_note.pk,
        archive.pension_claim.pk,
        archive.pension_source.pk,
    }


def test_csv_neutralises_a_formula_in_a_note(client, archive):
    rows = csv_rows(client.get("/search/", {"format": "csv", "kind": "note"}))
    assert rows[0]["body"].startswith("'=HYPERLINK")


def test_csv_keeps_unicode_and_lists(client, archive):
    archive.pension_claim.claim_text = "Пенсионный возраст — 65."
    archive.pension_claim.save()
    rows = csv_rows(client.get("/search/", {"format": "csv", "rating": "true"}))
    assert rows[0]["claim_text"] == "Пенсионный возраст — 65."
    assert rows[0]["tags"] == "pensions; tariffs"


@pytest.mark.parametrize("data_type", ["paragraphs", "articles"])
def test_csv_of_paragraphs_and_articles(client, archive, data_type):
    text = body(client.get("/search/", {"format": "csv", "type": data_type}))
    assert text.splitlines()[0] == ",".join(COLUMNS[data_type])
    assert "secretword" not in text


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonld"])
def test_exports_leave_out_drafts(client, archive, fmt):
    text = body(client.get("/search/", {"format": fmt}))
    assert "secretword" not in text
    assert "hiddentag" not in text


def test_json_has_the_same_records_and_pagination_links(client, archive, settings):
    settings.GLOSSA_EXPORT_MAX_ROWS = 3
    first = json.loads(body(client.get("/search/", {"format": "json"})))
    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert first["next"].endswith("?format=json&page=2")
    second = json.loads(body(client.get("/search/", {"format": "json", "page": 2})))
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert set(first["results"][0]) == set(COLUMNS["annotations"])


def test_csv_points_to_the_next_slice(client, archive, settings):
    settings.GLOSSA_EXPORT_MAX_ROWS = 2
    response = client.get("/search/", {"format": "csv"})
    assert len(csv_rows(response)) == 2
    assert 'page=2>; rel="next"' in response["Link"]


def test_jsonld_is_an_annotation_collection(client, archive):
    response = client.get("/search/", {"format": "jsonld"})
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(body(response))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == 4
    assert document["first"]["type"] == "AnnotationPage"
    assert len(document["first"]["items"]) == 4


def test_jsonld_pages_after_the_first_are_annotation_pages(client, archive, settings):
    settings.GLOSSA_EXPORT_MAX_ROWS = 3
    first = json.loads(body(client.get("/search/", {"format": "jsonld"})))
    assert first["first"]["next"].endswith("page=2")
    second = json.loads(body(client.get("/search/", {"format": "jsonld", "page": 2})))
    assert second["type"] == "AnnotationPage"
    assert second["partOf"]["total"] == 4
    assert second["startIndex"] == 3
    assert len(second["items"]) == 1


def items_by_motivation(client) -> dict[str, dict]:
    document = json.loads(body(client.get("/search/", {"format": "jsonld"})))
    return {item["id"].rsplit("/", 2)[-2]: item for item in document["first"]["items"]}


def test_jsonld_annotations_carry_motivation_bodies_and_selectors(client, archive):
    items = items_by_motivation(client)
    claim = items[str(archive.pipeline_claim.pk)]
    assert claim["type"] == "Annotation"
    assert claim["motivation"] == "assessing"
    assert {
        "type": "TextualBody",
        "value": "False",
        "format": "text/plain",
        "purpose": "assessing",
        "language": "en",
    } in claim["body"]
    assert {"type": "TextualBody", "value": "tariffs", "purpose": "tagging"} in claim["body"]
    target = claim["target"]
    assert target["source"].endswith(archive.pipeline.get_absolute_url())
    quote, position = target["selector"]
    assert quote["type"] == position["type"] == "FragmentSelector"
    assert quote["value"] == archive.pipeline_claim.paragraph.anchor
    assert quote["refinedBy"] == {
        "type": "TextQuoteSelector",
        "exact": "tariffs would fall by half",
        "prefix": archive.pipeline_claim.prefix,
        "suffix": archive.pipeline_claim.suffix,
    }
    assert position["refinedBy"] == {
        "type": "TextPositionSelector",
        "start": archive.pipeline_claim.start,
        "end": archive.pipeline_claim.end,
    }
    assert items[str(archive.pipeline_note.pk)]["motivation"] == "commenting"
    source = items[str(archive.pension_source.pk)]
    cited = archive.pension_source.citations.get().source
    assert source["motivation"] == "linking"
    assert {"type": "SpecificResource", "source": cited.url, "purpose": "linking"} in source["body"]


def test_jsonld_is_refused_for_articles(client, archive):
    response = client.get("/search/", {"format": "jsonld", "type": "articles"})
    assert response.status_code == 400
    assert "for annotations" in response.content.decode()


def w3c_must_assertions():
    """The W3C annotation-model MUST assertions (JSON Schema draft 4), when the test suite is on this machine."""
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    from referencing.jsonschema import DRAFT4

    if not W3C_TESTS.is_dir():
        pytest.skip("the W3C web-annotation-tests are not on this machine")
    resources = []
    for path in W3C_TESTS.rglob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema.get("id", path.name), DRAFT4.create_resource(schema)))
    registry = referencing.Registry().with_resources(resources)
    manifest = json.loads((W3C_TESTS / "annotations" / "annotationMusts.test").read_text())
    for name in manifest["assertions"]:
        schema = json.loads((W3C_TESTS / name).read_text())
        yield (
            name,
            schema,
            jsonschema.Draft4Validator(
                schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
            ),
        )


def test_jsonld_annotations_pass_the_w3c_must_assertions(client, archive):
    from annotations.models import Annotation
    from tests.factories import AnnotationFactory

    AnnotationFactory(
        paragraph=archive.pension_claim.paragraph, exact="", kind="note", rating=None, body="Whole."
    )
    orphan = AnnotationFactory(
        paragraph=archive.pipeline_claim.paragraph, exact="promised", kind="note", rating=None
    )
    orphan.paragraph = None
    orphan.anchor_state = Annotation.AnchorState.ORPHANED
    orphan.save()
    document = json.loads(body(client.get("/search/", {"format": "jsonld"})))
    annotations = [{"@context": document["@context"], **item} for item in document["first"]["items"]]
    checked = 0
    for name, schema, validator in w3c_must_assertions():
        for annotation in annotations:
            valid = validator.is_valid(annotation)
            assert valid == (schema.get("expectedResult", "valid") == "valid"), (name, annotation["id"])
            checked += 1
    assert checked >= 40 * len(annotations)


def test_the_w3c_assertions_catch_a_broken_annotation():
    broken = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://example.org/a/1",
        "type": "Annotation",
        "created": "yesterday",
        "body": [{"type": "TextualBody", "value": "x", "purpose": "nonsense"}],
        "target": {
            "source": "https://example.org/",
            "selector": {"type": "TextQuoteSelector", "prefix": "a"},
        },
    }
    failed = {name for name, _schema, validator in w3c_must_assertions() if not validator.is_valid(broken)}
    assert "annotations/specificResource/4.2-selectorValidIfPresent.json" in failed
    assert "annotations/specificResource/4.2.4-textQuoteSelectorValid.json" in failed


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonld"])
def test_exports_keep_a_fixed_query_budget(client, archive, editor, fmt, django_assert_max_num_queries):
    from tests.factories import AnnotationFactory, CitationFactory, ParagraphFactory

    editor.first_name, editor.last_name = "Dana", "Checker"
    editor.save()
    for n in range(30):
        paragraph = ParagraphFactory(article=archive.pension, position=10 + n, text=f"Gas story {n}.")
        annotation = AnnotationFactory(paragraph=paragraph, exact="Gas story", author=editor)
        annotation.tags.add("energy")
        CitationFactory(annotation=annotation)
    with django_assert_max_num_queries(12):
        text = body(client.get("/search/", {"format": fmt}))
    assert text.count("Gas story") >= 30
    if fmt == "jsonld":
        assert '"name":"Dana Checker"' in text
