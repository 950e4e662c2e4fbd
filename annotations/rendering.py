"""The reading view: paragraphs with their annotated spans highlighted, built safely on the server.

Every piece of paragraph text is escaped before it is wrapped in markup, so nothing an
editor typed can become HTML. Spans may overlap or nest: the paragraph is cut at every
span boundary and each piece is wrapped in one ``<mark>`` listing the notes that cover it,
which keeps the markup valid however the spans cross. Each annotation gets a numbered
reference link at the end of its span (``#r-<id>`` -> ``#a-<id>``), the keyboard and
screen-reader route from the text to its note; the note links back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Paragraph

from .models import Annotation, Citation, Correction


@dataclass(frozen=True)
class Span:
    """One annotation's place in its paragraph; ``start is None`` means the whole paragraph."""

    pk: int
    number: int
    kind: str
    start: int | None
    end: int | None


@dataclass
class ReadingParagraph:
    paragraph: Paragraph
    html: SafeString
    notes: list[Annotation] = field(default_factory=list)
    whole: bool = False


def _ref(span: Span) -> str:
    return format_html(
        '<a class="ref ref-{kind}" href="#a-{pk}" id="r-{pk}">'
        '<span class="visually-hidden">note </span>{number}</a>',
        kind=span.kind,
        pk=span.pk,
        number=span.number,
    )


def highlight(text: str, spans: list[Span]) -> SafeString:
    """Paragraph text as HTML with each span marked and followed by its reference link."""
    inline = [s for s in spans if s.start is not None]
    whole = [s for s in spans if s.start is None]
    cuts = sorted({0, len(text), *(s.start for s in inline), *(s.end for s in inline)})
    refs_at: dict[int, list[Span]] = {}
    for span in inline:
        refs_at.setdefault(span.end, []).append(span)

    pieces: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        pieces.extend(_ref(s) for s in sorted(refs_at.get(a, []), key=lambda s: s.number))
        covering = [s for s in inline if s.start <= a and s.end >= b]
        chunk = escape(text[a:b])
        if not covering:
            pieces.append(chunk)
            continue
        # The innermost (shortest) span decides the colour; the others' kinds are added as
        # hl-also-<kind> so an overlap visibly belongs to every span on it, in one <mark>.
        by_depth = sorted(covering, key=lambda s: (s.end - s.start, s.number))
        innermost, outer = by_depth[0], by_depth[1:]
        also = dict.fromkeys(f" hl-also-{s.kind}" for s in outer if s.kind != innermost.kind)
        pieces.append(
            format_html(
                '<mark class="hl hl-{kind}{depth}{also}" data-note="a-{pk}"{notes}>{chunk}</mark>',
                kind=innermost.kind,
                depth=" hl-overlap" if outer else "",
                also="".join(also),
                pk=innermost.pk,
                notes=format_html(' data-notes="{}"', " ".join(f"a-{s.pk}" for s in by_depth))
                if outer
                else "",
                chunk=chunk,
            )
        )
    pieces.extend(_ref(s) for s in sorted(refs_at.get(len(text), []), key=lambda s: s.number))
    pieces.extend(_ref(s) for s in whole)
    return mark_safe("".join(pieces))  # noqa: S308 (every piece above is escaped or format_html)


def annotations_for_reading(queryset):
    """The related rows one note shows, fetched in a fixed number of queries."""
    return queryset.select_related("rating").prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source")),
        Prefetch("corrections", queryset=Correction.objects.select_related("old_rating", "new_rating")),
    )


@dataclass
class Reading:
    paragraphs: list[ReadingParagraph]
    # Annotations whose paragraph is gone (orphaned): still public, listed after the text.
    detached: list[Annotation]

    @property
    def notes(self) -> list[Annotation]:
        return [note for p in self.paragraphs for note in p.notes] + self.detached


def reading_paragraphs(article: Article, user) -> Reading:
    """The article's paragraphs with highlights and their notes in reading order, numbered 1, 2, 3…"""
    paragraphs = list(article.paragraphs.all())
    annotations = annotations_for_reading(Annotation.objects.visible_to(user).filter(article=article))
    by_paragraph: dict[int, list[tuple[int | None, int | None, Annotation]]] = {}
    texts = {p.pk: p.text for p in paragraphs}
    detached = []
    for annotation in annotations:
        text = texts.get(annotation.paragraph_id)
        if text is None:
            annotation.detached = True
            detached.append(annotation)
            continue
        start, end = annotation.current_span(text) or (None, None)
        by_paragraph.setdefault(annotation.paragraph_id, []).append((start, end, annotation))

    result, number = [], 0
    for paragraph in paragraphs:
        placed = by_paragraph.get(paragraph.pk, [])
        # Numbers follow the reference links as they appear: by where each span ends.
        length = len(paragraph.text)
        placed.sort(key=lambda row: (length + 1 if row[1] is None else row[1], row[0] or 0, row[2].pk))
        spans, notes = [], []
        for start, end, annotation in placed:
            number += 1
            annotation.number = number
            annotation.whole_paragraph = start is None
            spans.append(Span(annotation.pk, number, annotation.kind, start, end))
            notes.append(annotation)
        result.append(
            ReadingParagraph(
                paragraph=paragraph,
                html=highlight(paragraph.text, spans),
                notes=notes,
                whole=any(s.start is None for s in spans),
            )
        )
    for annotation in sorted(detached, key=lambda a: a.pk):
        number += 1
        annotation.number = number
    return Reading(result, sorted(detached, key=lambda a: a.pk))
