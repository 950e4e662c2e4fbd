"""Bytes to text: BOMs first, then strict UTF-8, then charset detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .base import ImportProblem

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# The single-byte encodings commentary in European and Cyrillic languages still arrives in. Left
# open, detection on a short file guesses EBCDIC or East Asian codecs for a line of Latin-1 or KOI8-R.
LEGACY_ENCODINGS = [
    "cp1252",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso8859_2",
    "iso8859_5",
    "iso8859_15",
    "mac_cyrillic",
    "cp866",
    "latin_1",
]
# Control characters other than tab, newlines and form feed do not occur in text people write.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def looks_binary(data: bytes) -> bool:
    if any(data.startswith(bom) for bom, _ in BOMS):
        return False
    return b"\x00" in data[:65536]


def decode(data: bytes) -> tuple[str, str]:
    """(text, codec name). Raises ImportProblem when the bytes are not text."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise ImportProblem(
                    f"The file starts with a {codec} byte-order mark but is not valid {codec}."
                ) from None
    if looks_binary(data):
        raise ImportProblem("The file contains binary data, not text (is it an image or an archive?).")
    try:
        # Most uploads are UTF-8; strict decoding recognises it with certainty and costs little.
        text, codec = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
        if best is None:
            raise ImportProblem(
                "The file's bytes are not text in any known encoding "
                "(tried UTF-8, Windows-1251, KOI8-R, Latin-1 and others)."
            ) from None
        text, codec = str(best), codecs.lookup(best.encoding).name
    if len(CONTROL.findall(text)) > max(2, len(text) // 200):
        raise ImportProblem("The file contains binary data, not text (too many control characters).")
    return text, codec
