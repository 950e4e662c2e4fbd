"""Annotations in the W3C Web Annotation Data Model (JSON-LD), for the ``jsonld`` export."""

from __future__ import annotations

from django.conf import settings

from annotations.models import Annotation

from .records import site_url

WEB_ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def motivation(annotation: Annotation) -> str:
    if annotation.kind == Annotation.Kind.CLAIM:
        return "assessing"
    if annotation.kind == Annotation.Kind.SOURCE and any(c.source.url for c in annotation.citations.all()):
        return "linking"
    return "commenting"


def _text_body(value: str, purpose: str, language: str) -> dict:
    body = {"type": "TextualBody", "value": value, "format": "text/plain", "purpose": purpose}
    if language:
        body["language"] = language
    return body


def web_annotation(annotation: Annotation) -> dict:
    """One annotation in the W3C Web Annotation Data Model (without @context, added by the caller)."""
    article = annotation.article
    language = article.language
    own_purpose = motivation(annotation)
    bodies = []
    if annotation.rating:
        bodies.append(_text_body(annotation.rating.label, "assessing", "en"))
    if annotation.claim_text:
        bodies.append(_text_body(annotation.claim_text, "describing", language))
    if annotation.conclusion:
        bodies.append(_text_body(annotation.conclusion, "assessing", language))
    if annotation.body:
        bodies.append(
            _text_body(annotation.body, "assessing" if own_purpose == "assessing" else "commenting", "")
        )
    for citation in annotation.citations.all():
        source = citation.source
        if source.url:
            bodies.append({"type": "SpecificResource", "source": source.url, "purpose": "linking"})
        else:
            bodies.append(_text_body(str(source), "describing", ""))
    bodies += [
        {"type": "TextualBody", "value": tag.name, "purpose": "tagging"} for tag in annotation.tags.all()
    ]

    article_url = site_url(article.get_absolute_url())
    quote = {
        "type": "TextQuoteSelector",
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
    }
    if annotation.paragraph is None:
        # An orphan keeps its quote; where it sits in the article is no longer known.
        target = {"source": article_url, "selector": quote} if annotation.exact else article_url
    else:
        fragment = {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": annotation.paragraph.anchor,
        }
        span = annotation.current_span(annotation.paragraph.text) if annotation.exact else None
        if span is not None:
            position = {"type": "TextPositionSelector", "start": span[0], "end": span[1]}
            selectors = [{**fragment, "refinedBy": quote}, {**fragment, "refinedBy": position}]
        elif annotation.exact:
            selectors = [{**fragment, "refinedBy": quote}]
        else:
            selectors = [fragment]
        target = {"source": article_url, "selector": selectors}

    creator = {"type": "Organization", "name": settings.SITE_NAME, "homepage": settings.SITE_URL + "/"}
    if annotation.author and annotation.author.get_full_name():
        creator = {"type": "Person", "name": annotation.author.get_full_name()}
    record = {
        "id": site_url(annotation.get_absolute_url()),
        "type": "Annotation",
        "motivation": own_purpose,
        "created": annotation.created.isoformat(),
        "modified": annotation.modified.isoformat(),
        "creator": creator,
        "target": target,
    }
    if bodies:
        record["body"] = bodies
    return record
