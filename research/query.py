"""The search syntax readers and researchers type, parsed and checked once per request.

websearch syntax, as PostgreSQL's ``websearch_to_tsquery`` reads it: words are all required,
"quoted phrases", -excluded, ``or`` between alternatives. ``parse_query`` raises
``SearchInputError`` with a reason a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200


class SearchInputError(ValueError):
    """A search the user typed that cannot be run; the message says why."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    negated: bool = False


@dataclass
class ParsedQuery:
    """websearch syntax: words are all required, "quoted phrases", -excluded, ``or`` between alternatives."""

    text: str
    groups: list[list[Term]] = field(default_factory=list)

    @property
    def positive_words(self) -> list[str]:
        return [w for group in self.groups for term in group if not term.negated for w in term.words]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse_query(q: str) -> ParsedQuery:
    """Parse and check a search; raise SearchInputError with a readable reason when it cannot run."""
    text = " ".join((q or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            f"The search is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}. Use fewer words."
        )
    groups: list[list[Term]] = [[]]
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        negated = bool(minus) if phrase is not None else bare.startswith("-")
        words = tuple(w.lower() for w in _WORD.findall(phrase if phrase is not None else bare))
        if words:
            groups[-1].append(Term(words, negated))
    groups = [group for group in groups if group]
    parsed = ParsedQuery(text, groups)
    if text and not parsed.positive_words:
        raise SearchInputError(
            "The search has no words to look for: operators such as - and quotes need words with them."
        )
    return parsed
