"""Importing articles: a pure parse step per format, then one atomic save step.

``parse_file(name, data)`` returns a ``ParsedArticle`` or raises ``ImportProblem``;
``save.save_parsed`` writes it in one transaction.
"""

from .base import ImportProblem, ParsedArticle, ParsedParagraph

__all__ = ["ImportProblem", "ParsedArticle", "ParsedParagraph"]
