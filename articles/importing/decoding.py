"""Bytes to text: BOMs first, then strict UTF-8, then charset detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import CharsetMatch, CharsetMatches, from_bytes

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
# The Latin single-byte encodings share most accented letters, so charset-normalizer often scores
# them equally and then picks Windows-1250, turning Spanish "año" into "ańo". Among candidates it
# rates about as clean as its best, the one whose accented letters all belong to one language wins;
# on a tie the order below decides, Western European first because it is the commoner.
LATIN_ENCODINGS = ["cp1252", "iso8859_15", "latin_1", "cp1250", "iso8859_2"]
NEAR_BEST_CHAOS = 0.05
# Accented letters of the languages those encodings serve (lower case; upper case is folded).
ALPHABETS = [
    "áéíóúüñ",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "áéëèïóöü",  # Dutch
    "æøåéó",  # Danish, Norwegian
    "åäöéšž",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Croatian, Slovene, Bosnian
    "ăâîșțşţ",  # Romanian
    "çë",  # Albanian
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
        results = from_bytes(data, cp_isolation=LEGACY_ENCODINGS)
        best = results.best()
        if best is None:
            raise ImportProblem(
                "The file's bytes are not text in any known encoding "
                "(tried UTF-8, Windows-1251, KOI8-R, Latin-1 and others)."
            ) from None
        text, encoding = latin_preference(data, results, best) or (str(best), best.encoding)
        codec = codecs.lookup(encoding).name
    if len(CONTROL.findall(text)) > max(2, len(text) // 200):
        raise ImportProblem("The file contains binary data, not text (too many control characters).")
    return text, codec


def alphabet_fit(text: str) -> int:
    """Accented letters one language accounts for, less those it cannot, for the best-fitting language."""
    accented = [char for char in text.lower() if char.isalpha() and not char.isascii()]
    return max(sum(1 if char in alphabet else -1 for char in accented) for alphabet in ALPHABETS)


def latin_preference(data: bytes, results: CharsetMatches, best: CharsetMatch) -> tuple[str, str] | None:
    """(text, encoding) for the Latin encoding whose letters make the most sense, if best is Latin."""
    if best.encoding not in LATIN_ENCODINGS:
        return None
    candidates = {
        encoding
        for match in results
        if match.chaos <= best.chaos + NEAR_BEST_CHAOS
        for encoding in match.could_be_from_charset
        if encoding in LATIN_ENCODINGS
    }
    scored = []
    for rank, encoding in enumerate(LATIN_ENCODINGS):
        if encoding in candidates:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            scored.append((alphabet_fit(text), -rank, text, encoding))
    if not scored:
        return None
    _, _, text, encoding = max(scored)
    return text, encoding
