"""Importing articles: a pure parse step per format, then one atomic save step.

``parse_file(name, data)`` returns a ``ParsedArticle`` or raises ``ImportProblem``;
``save.save_parsed`` writes it in one transaction; ``save.import_file`` does both for one
uploaded file (with the duplicate check) and returns an ``ImportResult``.
"""

from .base import ImportProblem, ParsedArticle, ParsedParagraph
from .parse import parse_file

__all__ = ["ImportProblem", "ParsedArticle", "ParsedParagraph", "parse_file"]
