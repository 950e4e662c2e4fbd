"""Importing articles: read the file, a pure parse step, then one atomic save step.

``uploads.read_upload(file_or_path)`` reads an upload or a file on disk and is the one place the
size limit is checked. ``parse_file(name, data)`` (``parse.py``, one module per format, shared
rules in ``structure.py``) returns a ``ParsedArticle`` with its texts cleaned, or raises
``ImportProblem``. ``save.import_file(name, data)`` checks for a duplicate, parses and writes the
article, its paragraphs and the stored original in one transaction, and returns an
``ImportResult``. ``replace.replace_article_text(article, parsed, ...)`` puts a corrected version
in place of an article's text, keeping its annotations attached.
"""

from .base import ImportProblem, ParsedArticle, ParsedParagraph
from .parse import parse_file

__all__ = ["ImportProblem", "ParsedArticle", "ParsedParagraph", "parse_file"]
