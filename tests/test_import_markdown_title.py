from __future__ import annotations

import pytest

from articles.importing import parse_file

BODY = (
    "Toll roads pay for themselves only when the traffic forecasts are honest.\n\n"
    "Governments should publish the forecasts and compare them with the traffic that came.\n"
)


def front_matter_file(title: str, heading: str) -> bytes:
    return f"---\ntitle: {title}\ndate: 2025-06-03\n---\n\n# {heading}\n\n{BODY}".encode()


@pytest.mark.parametrize(
    "heading",
    ["Tolls, revisited", "Tolls, Revisited", "TOLLS,   revisited", "*Tolls*, revisited.", "Tolls revisited"],
)
def test_a_leading_heading_repeating_the_front_matter_title_is_dropped(heading):
    parsed = parse_file("tolls.md", front_matter_file('"Tolls, revisited"', heading))
    assert parsed.title == "Tolls, revisited"
    assert [p.text for p in parsed.paragraphs] == [
        "Toll roads pay for themselves only when the traffic forecasts are honest.",
        "Governments should publish the forecasts and compare them with the traffic that came.",
    ]
    assert parsed.paragraphs[0].role == "lede"


def test_an_underlined_heading_repeating_the_front_matter_title_is_dropped():
    text = f"---\ntitle: Tolls, revisited\n---\n\nTolls, Revisited\n================\n\n{BODY}"
    parsed = parse_file("tolls.md", text.encode())
    assert parsed.paragraphs[0].text.startswith("Toll roads pay")


def test_a_different_leading_heading_stays_as_a_paragraph_and_the_report_says_so():
    parsed = parse_file("tolls.md", front_matter_file("Tolls", "Why toll forecasts fail"))
    assert parsed.title == "Tolls"
    assert [p.text for p in parsed.paragraphs][:2] == [
        "Why toll forecasts fail",
        "Toll roads pay for themselves only when the traffic forecasts are honest.",
    ]
    assert any("Why toll forecasts fail" in note and "differs" in note for note in parsed.notes)


def test_a_heading_later_in_the_text_equal_to_the_title_is_kept():
    text = f"---\ntitle: Tolls\n---\n\n{BODY}\n# Tolls\n\nA closing paragraph about tolls.\n"
    parsed = parse_file("tolls.md", text.encode())
    assert "Tolls" in [p.text for p in parsed.paragraphs]
