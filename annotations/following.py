"""The annotations app's part in every change (registered with ``articles.changes``).

When paragraph text changes, the annotations on it follow their quote (``reanchor``); when
paragraphs are about to be deleted, the annotations on them are looked for in the paragraphs new
in the same change (a corrected version) and otherwise orphaned: paragraph cleared, quote kept,
listed for editors to re-attach. An annotation is never deleted by a text change. The outcome is
added to the change (``anchoring`` counts and the ``reanchored`` annotations), and the annotations
concerned to its ``annotations``, so the search index refreshes them next.
"""

from __future__ import annotations

from django.utils import timezone

from articles.changes import Change
from articles.models import Paragraph

from .anchoring import KEPT, MOVED, ORPHANED, AnchorError, locate
from .models import ANCHOR_FIELDS, Annotation


def follow(change: Change) -> None:
    if not (change.edited or change.removed):
        return
    counts = {KEPT: 0, MOVED: 0, ORPHANED: 0}
    moved: list[Annotation] = []
    if change.edited:
        for paragraph in Paragraph.objects.filter(pk__in=change.edited):
            outcome, changed = Annotation.objects.reanchor(paragraph, change.edited[paragraph.pk])
            for name, n in outcome.items():
                counts[name] += n
            moved += changed
    if change.removed:
        outcome, changed = rehome(change.removed, Paragraph.objects.filter(pk__in=change.added))
        for name, n in outcome.items():
            counts[name] += n
        moved += changed
    change.anchoring = counts
    change.reanchored = moved
    change.annotations |= {annotation.pk for annotation in moved}


def rehome(removed: set[int], candidates) -> tuple[dict[str, int], list[Annotation]]:
    """Annotations of removed paragraphs: found again only in ``candidates``, else orphaned."""
    counts = {KEPT: 0, MOVED: 0, ORPHANED: 0}
    candidates = list(candidates)
    now = timezone.now()
    homeless = list(
        Annotation.objects.filter(paragraph__in=removed).exclude(anchor_state=Annotation.AnchorState.ORPHANED)
    )
    for annotation in homeless:
        found = [p for p in candidates if annotation.exact and annotation.exact in p.text]
        selector = None
        if len(found) == 1:
            try:
                selector = locate(
                    found[0].text, annotation.exact, prefix=annotation.prefix, suffix=annotation.suffix
                )
            except AnchorError:
                selector = None
        if selector is not None:
            annotation.paragraph = found[0]
            annotation.apply_reanchoring(MOVED, selector)
            counts[MOVED] += 1
        else:
            annotation.apply_reanchoring(ORPHANED, None)
            counts[ORPHANED] += 1
        annotation.modified = now
    Annotation.objects.rows().bulk_update(homeless, ANCHOR_FIELDS)
    return counts, homeless
