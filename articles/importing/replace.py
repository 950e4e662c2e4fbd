"""Replacing an article's text with a corrected version, keeping its annotations attached.

Old and new paragraphs are matched first (unchanged text, then the most similar edited text in
the same stretch of the article), so matched paragraphs keep their ``key`` and permalinks. The
whole replacement is one change (``articles/changes.py``) naming the edited, added and removed
paragraphs: the annotations app re-anchors each annotation in its paragraph's new text, and looks
for an annotation whose paragraph was removed in the paragraphs new in this version, orphaning it
if it is not found there. Nothing is deleted but paragraphs that no longer exist.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from .. import changes
from ..audit import log_reanchoring
from ..models import Article, Paragraph
from ..text import new_keys, text_hash
from .base import ImportProblem, ParsedArticle
from .save import sha256_of
from .uploads import files_kept_with_rows, stored_name

# Below this similarity an old and a new paragraph are different paragraphs, not one edited.
MIN_PARAGRAPH_SIMILARITY = 0.5
# How far (in paragraphs) from its expected place an edited paragraph is looked for.
SEARCH_BAND = 6
POSITION_OFFSET = 1_000_000


@dataclass
class Pairing:
    old: Paragraph | None
    new_index: int | None


def match_paragraphs(old: list[Paragraph], new: list[str]) -> list[Pairing]:
    """Pair old paragraphs with new texts in reading order; unpaired ones are removed or added."""
    pairs: list[Pairing] = []
    matcher = difflib.SequenceMatcher(None, [p.text for p in old], new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(Pairing(old[i1 + k], j1 + k) for k in range(i2 - i1))
            continue
        paired = _pair_changed_run(old, new, range(i1, i2), range(j1, j2))
        by_old = dict(paired)
        paired_new = set(by_old.values())
        pairs.extend(Pairing(old[i], by_old.get(i)) for i in range(i1, i2))
        pairs.extend(Pairing(None, j) for j in range(j1, j2) if j not in paired_new)
    return pairs


def words_of(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def word_similarity(a: Counter, b: Counter) -> float:
    """Share of words two paragraphs have in common (Dice coefficient over word counts)."""
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _pair_changed_run(
    old: list[Paragraph], new: list[str], olds: range, news: range
) -> list[tuple[int, int]]:
    """Most similar old/new pairs in a run of changed paragraphs, without crossing each other.

    Only paragraphs near the same relative place in the run are compared, so a long article whose
    every paragraph changed costs a few comparisons per paragraph, not one per pair.
    """
    if not olds or not news:
        return []
    scale = len(news) / len(olds)
    old_words = {i: words_of(old[i].text) for i in olds}
    new_words = {j: words_of(new[j]) for j in news}
    scored = []
    for i in olds:
        expected = news.start + (i - olds.start) * scale
        for j in news:
            if abs(j - expected) > SEARCH_BAND:
                continue
            if (score := word_similarity(old_words[i], new_words[j])) >= MIN_PARAGRAPH_SIMILARITY:
                scored.append((score, i, j))
    paired: list[tuple[int, int]] = []
    used_old, used_new = set(), set()
    for _score, i, j in sorted(scored, reverse=True):
        if i in used_old or j in used_new or any((i < pi) != (j < pj) for pi, pj in paired):
            continue
        paired.append((i, j))
        used_old.add(i)
        used_new.add(j)
    return sorted(paired)


def replace_article_text(
    article: Article, parsed: ParsedArticle, *, user=None, filename: str = "", data: bytes | None = None
) -> dict:
    """Replace the paragraphs of ``article`` with ``parsed``'s and re-anchor every annotation.

    ``data``, the uploaded file, is stored under ``corrections/`` next to the originals, and its
    stored name, SHA-256 and size go into the report's entry for this replacement. Returns
    ``{"kept": n, "moved": n, "orphaned": n}`` over the annotations that were anchored.
    """
    if not parsed.paragraphs:
        raise ImportProblem("The corrected version has no paragraphs.")
    with files_kept_with_rows() as stored, changes.collect() as collected:
        name = None
        if data is not None:
            name = timezone.now().strftime("corrections/%Y/%m/") + stored_name(filename or "corrected")
            name = default_storage.save(name, ContentFile(data))
            stored.append(name)
        _replace(article, parsed, filename=filename, stored=name, data=data)
        counts = changes.anchoring_counts(collected)
        _report(article, counts)
    if user is not None:
        _log(user, article, filename, counts)
        reanchored = [a for change in collected for a in change.reanchored]
        log_reanchoring(user, reanchored, "a corrected version of the article replaced its text")
    return counts


def paragraph_changes(entry: dict) -> str:
    """One line on how the paragraphs changed in a replacement, from its import report entry."""
    before = entry.get("paragraphs_before")
    if before is None:
        return ""
    noun = "paragraph" if before == 1 else "paragraphs"
    return (
        f"{before} {noun} before, {entry['paragraphs']} after: "
        f"{entry['added']} added, {entry['removed']} removed"
    )


def _replace(article: Article, parsed: ParsedArticle, *, filename: str, stored: str | None, data) -> None:
    old = list(Article.objects.select_for_update().get(pk=article.pk).paragraphs.order_by("position"))
    texts = [p.text for p in parsed.paragraphs]
    pairs = match_paragraphs(old, texts)

    # Free the positions first: (article, position) is unique and paragraphs change places.
    Paragraph.objects.filter(article=article).rows().update(position=F("position") + POSITION_OFFSET)

    old_texts = {p.pk: p.text for p in old}
    kept, removed, created = [], [], []
    for pair in pairs:
        if pair.new_index is None:
            removed.append(pair.old)
            continue
        parsed_paragraph = parsed.paragraphs[pair.new_index]
        paragraph = pair.old or Paragraph(article=article)
        paragraph.position = pair.new_index + 1
        paragraph.role = parsed_paragraph.role
        paragraph.text = parsed_paragraph.text
        (kept if pair.old else created).append(paragraph)
    # New paragraphs get keys no paragraph of the article has, kept or removed (a permalink to a
    # removed paragraph must not come to point at a different one).
    for paragraph, key in zip(created, new_keys(len(created), {p.key for p in old}), strict=True):
        paragraph.key = key
    Paragraph.objects.rows().bulk_update(kept, ["position", "role", "text"])
    Paragraph.objects.rows().bulk_create(created)

    now = timezone.now()
    report = dict(article.import_report or {})
    entry = {
        "file": filename,
        "date": now.isoformat(timespec="seconds"),
        "paragraphs_before": len(old),
        "paragraphs": len(texts),
        "added": len(created),
        "removed": len(removed),
    }
    if stored is not None and data is not None:
        entry.update(stored_file=stored, sha256=sha256_of(data), size=len(data))
    report.setdefault("replacements", []).append(entry)
    Article.objects.filter(pk=article.pk).rows().update(
        import_report=report, updated_at=now, text_hash=text_hash(texts)
    )
    article.import_report = report
    # One change for the whole replacement: the annotations follow their text, the index and the
    # cached pages follow the annotations. Removed paragraphs go only after their annotations moved.
    Article.objects.filter(pk=article.pk).record_change(
        edited={p.pk: old_texts[p.pk] for p in kept},
        added={p.pk for p in created},
        removed={p.pk for p in removed},
    )
    Paragraph.objects.filter(pk__in=[p.pk for p in removed]).rows().delete()


def _report(article: Article, counts: dict) -> None:
    """The anchoring outcome goes into the replacement's entry in the import report."""
    report = article.import_report
    report["replacements"][-1]["anchors"] = counts
    Article.objects.filter(pk=article.pk).rows().update(import_report=report)


def _log(user, article: Article, filename: str, counts: dict) -> None:
    message = (
        f"Replaced the text with a corrected version{f' ({filename})' if filename else ''}: "
        f"annotations kept {counts['kept']}, moved {counts['moved']}, orphaned {counts['orphaned']}."
    )
    LogEntry.objects.log_actions(user.pk, [article], CHANGE, change_message=message, single_object=True)
