"""SQLite (and any other database): the same query syntax matched with regular expressions.

Each word must start a word in the text (no stemming); for plain words this gives the results
PostgreSQL gives. Relevance is simple: for every word or phrase searched for, the weight of the
most important field that holds it (claim 1, conclusion 0.4, note 0.2, passage 0.1, as
PostgreSQL's default weights for A to D), summed.
"""

from __future__ import annotations

import re

from django.db.models import Case, ExpressionWrapper, FloatField, Q, QuerySet, Value, When

from articles.models import Paragraph

from ..query import Term
from .base import START, STOP, Prepared, SearchBackend, marked_to_html


class RegexBackend(SearchBackend):
    """Regular-expression matching; see the module docstring."""

    snippet_chars = 220

    @staticmethod
    def term_pattern(term: Term) -> str:
        return r"(?<!\w)" + r"\W+".join(re.escape(word) for word in term.words)

    def document_q(self, fields: list[str], search: Prepared) -> Q:
        """True for a row whose ``fields``, taken together, satisfy the whole query."""
        parsed = search.parsed
        if not parsed.groups:
            return Q()
        alternatives = Q(pk__in=[])
        for group in parsed.groups:
            clause = Q()
            for term in group:
                pattern = self.term_pattern(term)
                found = Q()
                for name in fields:
                    found |= Q(**{f"{name}__iregex": pattern})
                clause &= ~found if term.negated else found
            alternatives |= clause
        return alternatives

    def _paragraph_matches(self, search: Prepared) -> QuerySet:
        return Paragraph.objects.filter(self.document_q(["text"], search))

    def rank(self, weighted: list[tuple[str, float]], search: Prepared):
        """The relevance of a row: per term searched for, the weight of the best field holding it."""
        parsed = search.parsed
        terms = dict.fromkeys(t for group in parsed.groups for t in group if not t.negated)
        total = Value(0.0, output_field=FloatField())
        for term in terms:
            pattern = self.term_pattern(term)
            best_first = sorted(weighted, key=lambda pair: -pair[1])
            total = total + Case(
                *(When(Q(**{f"{name}__iregex": pattern}), then=Value(weight)) for name, weight in best_first),
                default=Value(0.0),
                output_field=FloatField(),
            )
        return ExpressionWrapper(total, output_field=FloatField())

    def search_articles(self, queryset, search):
        matches = self.document_q(["title"], search) | Q(
            pk__in=self._paragraph_matches(search).values("article_id")
        )
        # As on PostgreSQL, only the title ranks an article.
        return queryset.filter(matches).annotate(rank=self.rank([("title", 1.0)], search))

    def search_paragraphs(self, queryset, search):
        return queryset.filter(self.document_q(["text"], search)).annotate(
            rank=self.rank([("text", 1.0)], search)
        )

    def search_annotations(self, queryset, search):
        own = self.document_q(["claim_text", "conclusion", "body"], search)
        matches = own | Q(paragraph_id__in=self._paragraph_matches(search).values("pk"))
        weights = [("claim_text", 1.0), ("conclusion", 0.4), ("body", 0.2), ("paragraph__text", 0.1)]
        return queryset.filter(matches).annotate(rank=self.rank(weights, search))

    def search_entries(self, queryset, search):
        weights = [
            ("annotation__claim_text", 1.0),
            ("annotation__conclusion", 0.4),
            ("annotation__body", 0.2),
            ("paragraph__text", 0.1),
        ]
        fields = [name for name, _weight in weights]
        return queryset.filter(self.document_q(fields, search)).annotate(rank=self.rank(weights, search))

    def headlines(self, queryset, expression, search):
        parsed = search.parsed
        patterns = [
            re.compile(self.term_pattern(term), re.IGNORECASE)
            for group in parsed.groups
            for term in group
            if not term.negated
        ]
        rows = queryset.annotate(snippet_text=expression).values_list("pk", "snippet_text")
        return {pk: marked_to_html(self.mark(text or "", patterns)) for pk, text in rows}

    def mark(self, text: str, patterns: list[re.Pattern]) -> str:
        """About ``snippet_chars`` of ``text`` around its first match, cut between words."""
        spans = sorted(m.span() for pattern in patterns for m in pattern.finditer(text))
        begin, end = self.window(text, spans[0] if spans else (0, 0))
        pieces, cursor = [], begin
        for start, stop in spans:
            if start < cursor or stop > end:
                continue
            pieces += [text[cursor:start], START, text[start:stop], STOP]
            cursor = stop
        pieces.append(text[cursor:end])
        return ("… " if begin else "") + "".join(pieces).strip() + (" …" if end < len(text) else "")

    def window(self, text: str, first: tuple[int, int]) -> tuple[int, int]:
        """Where a snippet around the match ``first`` starts and ends: never inside a word."""
        begin = max(0, first[0] - self.snippet_chars // 3)
        if begin and not text[begin - 1].isspace():
            gap = re.search(r"\s", text[begin : first[0]])
            begin = begin + gap.end() if gap else first[0]
        end = min(len(text), begin + self.snippet_chars)
        if end < len(text) and not text[end].isspace():
            gap = max((m.start() for m in re.finditer(r"\s", text[first[1] : end])), default=None)
            end = first[1] + gap if gap is not None else end
        return begin, end

    def similar(self, queryset, field_name, text, limit=10):
        return queryset.filter(**{f"{field_name}__icontains": text}).order_by(field_name)[:limit]
