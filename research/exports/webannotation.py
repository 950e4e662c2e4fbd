"""Annotations in the W3C Web Annotation Data Model (JSON-LD), for the ``jsonld`` export.

Built from the same plain-value rows as the other exports (``research/exports/rows.py``).
"""

from __future__ import annotations

from django.conf import settings

from annotations.anchoring import current_span
from annotations.models import Annotation

from .records import Paths

WEB_ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def motivation(row: dict) -> str:
    if row["kind"] == Annotation.Kind.CLAIM:
        return "assessing"
    if row["kind"] == Annotation.Kind.SOURCE and any(url for url, _title, _publisher in row["citations"]):
        return "linking"
    return "commenting"


def _text_body(value: str, purpose: str, language: str) -> dict:
    body = {"type": "TextualBody", "value": value, "format": "text/plain", "purpose": purpose}
    if language:
        body["language"] = language
    return body


def _source_name(title: str, publisher: str) -> str:
    """A source as ``Source.__str__`` names it."""
    return f"{title} ({publisher})" if publisher else title


def web_annotation(row: dict, paths: Paths) -> dict:
    """One annotation in the W3C Web Annotation Data Model (without @context, added by the caller)."""
    language = row["article__language"]
    own_purpose = motivation(row)
    bodies = []
    if row["rating"]:
        bodies.append(_text_body(row["rating"]["label"], "assessing", "en"))
    if row["claim_text"]:
        bodies.append(_text_body(row["claim_text"], "describing", language))
    if row["conclusion"]:
        bodies.append(_text_body(row["conclusion"], "assessing", language))
    if row["body"]:
        bodies.append(
            _text_body(row["body"], "assessing" if own_purpose == "assessing" else "commenting", "")
        )
    for url, title, publisher in row["citations"]:
        if url:
            bodies.append({"type": "SpecificResource", "source": url, "purpose": "linking"})
        else:
            bodies.append(_text_body(_source_name(title, publisher), "describing", ""))
    bodies += [{"type": "TextualBody", "value": name, "purpose": "tagging"} for name in row["tags"]]

    article_url = paths.article_url(row["article__slug"])
    exact = row["exact"]
    quote = {"type": "TextQuoteSelector", "exact": exact, "prefix": row["prefix"], "suffix": row["suffix"]}
    if row["paragraph_id"] is None:
        # An orphan keeps its quote; where it sits in the article is no longer known.
        target = {"source": article_url, "selector": quote} if exact else article_url
    else:
        fragment = {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": f"p-{row['paragraph__key']}",
        }
        span = (
            current_span(
                row["paragraph__text"], exact, row["prefix"], row["suffix"], row["start"], row["end"]
            )
            if exact
            else None
        )
        if span is not None:
            position = {"type": "TextPositionSelector", "start": span[0], "end": span[1]}
            selectors = [{**fragment, "refinedBy": quote}, {**fragment, "refinedBy": position}]
        elif exact:
            selectors = [{**fragment, "refinedBy": quote}]
        else:
            selectors = [fragment]
        target = {"source": article_url, "selector": selectors}

    creator = {"type": "Organization", "name": settings.SITE_NAME, "homepage": settings.SITE_URL + "/"}
    # As User.get_full_name() puts it.
    full_name = f"{row['author__first_name'] or ''} {row['author__last_name'] or ''}".strip()
    if full_name:
        creator = {"type": "Person", "name": full_name}
    record = {
        "id": paths.annotation_url(row["id"]),
        "type": "Annotation",
        "motivation": own_purpose,
        "created": row["created"].isoformat(),
        "modified": row["modified"].isoformat(),
        "creator": creator,
        "target": target,
    }
    if bodies:
        record["body"] = bodies
    return record
