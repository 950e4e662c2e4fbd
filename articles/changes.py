"""The one path every change to what readers see takes.

Every write to content ends in ``record(Change(...))``: the models' own ``save()`` and ``delete()``,
their QuerySets' ``delete()`` and ``record_change()`` (for bulk writers: the importer, corrected
versions, synthetic data, archive restore), and the taggit receivers in ``articles/tagging.py``.
``record`` does three things, always in this order:

1. runs the followers that apps above this one registered when they started (``follow``), inside
   the writer's transaction, so a rolled-back write leaves no trace in them: the annotations app
   re-anchors annotations on edited or removed paragraphs, then the research app refreshes its
   search index;
2. hands the change to whoever is collecting changes (``collect()``: the admin, to tell the editor
   what re-anchoring did);
3. purges the cached pages that showed what changed, at once and again when the transaction
   commits: a reader who rebuilt a page from the old rows in between cannot keep it.

Apps above ``articles`` may not be imported here (the layering rule in ``.importlinter``), so they
subscribe. This is the one place where control flows upward, and it is explicit: a follower is a
plain function that receives the whole change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction

from config import pagecache

# Pages that list content (home, archive, claims, the tag list, outlets, authors, search, feeds, sitemap).
LISTS = "lists"
# Pages that show passages of text out of their article (search results with their snippets).
SEARCH = "search"


@dataclass
class Change:
    """What one write changed, in ids. Followers read it; re-anchoring adds its outcome."""

    articles: set[int] = field(default_factory=set)  # articles whose pages may now read differently
    created: set[int] = field(default_factory=set)  # of those, articles new in this change (no cached page)
    article_rows: set[int] = field(default_factory=set)  # articles whose own row changed (status, date...)
    annotations: set[int] = field(default_factory=set)  # annotations whose own rows changed
    edited: dict[int, str] = field(default_factory=dict)  # paragraph id -> its text before the change
    added: set[int] = field(default_factory=set)  # paragraphs new in this change (a corrected version)
    removed: set[int] = field(default_factory=set)  # paragraphs about to be deleted
    tags: set[int] = field(default_factory=set)  # tags put on or taken off something in this change
    everything: bool = False  # the rating scale and other things shown on every page
    bulk: bool = False  # rows written in bulk without naming them (a restore): derive everything anew
    # Filled by followers: {"kept": n, "moved": n, "orphaned": n} and the annotations whose anchor moved.
    anchoring: dict[str, int] = field(default_factory=dict)
    reanchored: list = field(default_factory=list)

    def page_keys(self) -> set[str]:
        """The page-cache keys of every page this change may alter.

        Always the articles' own pages and search results (they quote the text). The lists only
        when what they show may have changed: an article's or annotation's own row (title, status,
        date, rating...), tags, or annotations that re-anchoring moved; then also the pages of
        the tags on what changed (``tags``, filled in by the summaries' follower). An edit of a
        paragraph's text that leaves every annotation where it was changes no list.
        """
        if self.everything:
            return {pagecache.SITE}
        # A new article's own pages cannot have been cached before it existed.
        keys = {SEARCH, *(article_key(pk) for pk in self.articles - self.created)}
        if self.article_rows or self.annotations or self.tags or self.bulk or self.reanchored:
            keys |= {LISTS, *(tag_key(pk) for pk in self.tags)}
        return keys


def article_key(pk: int) -> str:
    """The page-cache key of an article's own pages (its reading view and its annotations' pages)."""
    return f"article:{pk}"


def tag_key(pk: int) -> str:
    """The page-cache key of a tag's page."""
    return f"tag:{pk}"


Follower = Callable[[Change], None]
_followers: list[Follower] = []
_collecting: ContextVar[list[Change] | None] = ContextVar("glossa_changes_collecting", default=None)
_deferred_keys: ContextVar[set[str] | None] = ContextVar("glossa_changes_deferred", default=None)


def follow(follower: Follower) -> None:
    """Run ``follower(change)`` for every change from now on (called from an AppConfig.ready())."""
    if follower not in _followers:
        _followers.append(follower)


def record(change: Change) -> Change:
    """Run the followers on ``change`` now; purge its pages now and when the transaction commits."""
    for follower in _followers:
        follower(change)
    collected = _collecting.get()
    if collected is not None:
        collected.append(change)
    keys = change.page_keys()
    deferred = _deferred_keys.get()
    if deferred is not None:
        deferred.update(keys)
        return change
    pagecache.purge(keys)
    transaction.on_commit(lambda: pagecache.purge(keys))
    return change


@contextmanager
def purges_deferred() -> Iterator[None]:
    """Purge the pages of every change recorded inside the block once, when it ends: for a batch
    writer (an import job's chunk of items) that commits many small transactions inside it. A
    purge costs a write to the shared versions cache; one per chunk instead of two per article.

    The block must contain its transactions (it ends after they commit), so pages built from rows
    read before a commit still miss after the purge. A page cached in between is at most one
    chunk's time out of date, and only on list pages: a new article's own page was never cached.
    """
    if _deferred_keys.get() is not None:  # already deferred by an outer block
        yield
        return
    keys: set[str] = set()
    token = _deferred_keys.set(keys)
    try:
        yield
    finally:
        _deferred_keys.reset(token)
        pagecache.purge(keys)
        if keys and transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: pagecache.purge(keys))


@contextmanager
def collect() -> Iterator[list[Change]]:
    """Every change recorded inside the block, for a caller that reports on them."""
    collected: list[Change] = []
    token = _collecting.set(collected)
    try:
        yield collected
    finally:
        _collecting.reset(token)


def anchoring_counts(collected: list[Change]) -> dict[str, int]:
    """Re-anchoring outcomes summed over several changes."""
    total = {"kept": 0, "moved": 0, "orphaned": 0}
    for change in collected:
        for outcome, n in change.anchoring.items():
            total[outcome] = total.get(outcome, 0) + n
    return total
