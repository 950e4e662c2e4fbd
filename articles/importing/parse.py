"""The pure parse step: bytes and a file name in, a ParsedArticle out (or ImportProblem)."""

from __future__ import annotations

import re
from pathlib import PurePath

import py3langid

from . import limits
from .base import ImportProblem, ParsedArticle
from .decoding import decode
from .docx import parse_docx
from .html import parse_html
from .markdown import looks_like_markdown, parse_markdown
from .text import normalise_newlines, parse_text

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls and other pre-2007 Office files
HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
HTML_TAGS = re.compile(r"<(?:p|div|article|br|h[1-6]|span|section)\b[^>]*>", re.IGNORECASE)
LANGUAGE_SAMPLE = 1000  # characters; py3langid is as sure with these and costs less


def extension(filename: str) -> str:
    return PurePath(filename.replace("\\", "/")).suffix.lower()


def detect_text_format(filename: str, text: str) -> str:
    ext = extension(filename)
    if HTML_START.match(text) or (ext in {".html", ".htm", ".xhtml"} and HTML_TAGS.search(text)):
        return "html"
    if len(HTML_TAGS.findall(text[:20000])) >= 5:
        return "html"  # a saved page fragment without <html>
    if ext in {".md", ".markdown"} or looks_like_markdown(text):
        return "markdown"
    return "text"


def detect_language(parsed: ParsedArticle) -> str:
    sample = " ".join([parsed.title, *(p.text for p in parsed.paragraphs)])[:LANGUAGE_SAMPLE]
    code, _score = py3langid.classify(sample)
    return code if re.fullmatch(r"[a-z]{2,3}", code or "") else ""


def parse_file(filename: str, data: bytes) -> ParsedArticle:
    """Parse one file's bytes, read with ``uploads.read_upload`` (which checks the size limit).

    Every step is bounded by the import limits (``limits.py``). Raises ImportProblem naming what is
    wrong with the file.
    """
    with limits.budget():
        parsed = _parse(filename, data)
        limits.check_time()
        limits.check_paragraph_count(len(parsed.paragraphs))
        for paragraph in parsed.paragraphs:
            limits.check_paragraph_length(paragraph.text)
        return parsed


def _parse(filename: str, data: bytes) -> ParsedArticle:
    if not data.strip():
        raise ImportProblem("The file is empty." if not data else "The file contains only blank space.")
    if data.startswith(limits.GZIP_MAGIC):
        # A page fetched or saved gzip-compressed: its content is read, within the unpacked-size limit.
        data = limits.gunzip(data)
        if not data.strip():
            raise ImportProblem("The compressed file contains nothing.")
    if data.startswith(ZIP_MAGIC):
        parsed = parse_docx(data)
        parsed.encoding = ""
    elif data.startswith(OLE_MAGIC):
        raise ImportProblem(
            "This is an old-style Word (.doc) or Office file; save it as .docx and upload that."
        )
    elif data.startswith(b"%PDF"):
        raise ImportProblem("PDF files cannot be imported; save the article as text, HTML or .docx.")
    elif extension(filename) == ".docx":
        raise ImportProblem("The file is named .docx but is not a Word document (it may be damaged).")
    else:
        limits.check_unpacked(len(data))
        text, encoding = decode(data)
        text = normalise_newlines(text)
        if not text.strip():
            raise ImportProblem("The file contains only blank space.")
        limits.check_time()
        parser = {"html": parse_html, "markdown": parse_markdown, "text": parse_text}[
            detect_text_format(filename, text)
        ]
        parsed = parser(text)
        parsed.encoding = encoding
    limits.check_time()
    parsed.clean_texts()
    parsed.language = detect_language(parsed)
    return parsed
