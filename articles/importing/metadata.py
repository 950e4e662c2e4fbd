"""Dates and bylines as outlets print them, in English, Russian and Kazakh (and, through dateparser,
the other languages in DATE_LANGUAGES).

A metadata line is read as pieces between separators ("|", "·", "—", " - "): each piece must be
a date (labelled or not, with or without a weekday, a time or a reading time), a byline ("By X",
"Автор: X", "Авторы: X, Y", "Текст: X", "X and Y"), or a small known extra (a reading time, a clock
time). A line with anything else in it is text, not metadata, so a sentence that happens to hold a
date is never taken for a date line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

import dateparser
from django.conf import settings

# Languages tried for dates; naming them keeps dateparser from guessing among all it knows (slow).
DATE_LANGUAGES = ["en", "ru", "kk", "uk", "de", "fr", "es", "it", "pl"]

_MONTH_NAMES = {
    1: "january jan янв январь января январе қаңтар қаңтардың",
    2: "february feb февр фев февраль февраля ақпан ақпанның",
    3: "march mar мар март марта наурыз наурыздың",
    4: "april apr апр апрель апреля сәуір сәуірдің",
    5: "may мая май мамыр мамырдың",
    6: "june jun июн июнь июня маусым маусымның",
    7: "july jul июл июль июля шілде шілденің",
    8: "august aug авг август августа тамыз тамыздың",
    9: "september sept sep сент сен сентябрь сентября қыркүйек қыркүйектің",
    10: "october oct окт октябрь октября қазан қазанның",
    11: "november nov ноя нояб ноябрь ноября қараша қарашаның",
    12: "december dec дек декабрь декабря желтоқсан желтоқсанның",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_WEEKDAY_NAMES = [
    "monday mon понедельник пн пнд дүйсенбі дс",
    "tuesday tue tues вторник вт сейсенбі сс",
    "wednesday wed среда ср сәрсенбі ср",
    "thursday thu thur thurs четверг чт бейсенбі бс",
    "friday fri пятница пт жұма жм",
    "saturday sat суббота сб сенбі сн",
    "sunday sun воскресенье вс жексенбі жс",
]
WEEKDAYS = {name: number for number, names in enumerate(_WEEKDAY_NAMES) for name in names.split()}

_TIME = re.compile(
    r"(?:\bв\s+|\bat\s+|\bсағ\.?\s*)?\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\b", re.IGNORECASE
)
_YEAR_WORDS = re.compile(r"(?<=\d)\s*(?:г\.|года|год|г\b|ж\.|жылғы|жылы|жыл)|\b(?:г\.|ж\.)", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|-?го|-?е)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+\.?|\d+", re.UNICODE)
# A date has a year (or is all digits and separators) and few words; anything else is not tried.
DATE_SHAPE = re.compile(r"\b\d{4}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:T[\d:.+\-Z]*)?$")
NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})$")


@lru_cache(maxsize=1)
def _date_parser() -> dateparser.DateDataParser:
    return dateparser.DateDataParser(
        languages=DATE_LANGUAGES,
        settings={
            "STRICT_PARSING": True,
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "DATE_ORDER": "DMY",
            # Publication dates are written out; relative ("yesterday") and timestamp parsers only cost time.
            "PARSERS": ["absolute-time"],
        },
    )


def _date(year: int, month: int, day: int) -> datetime.date | None:
    if year < 100:
        year += 2000
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 31 February
        return None


def _numeric(first: int, second: int, year: int, separator: str, weekday: int | None) -> datetime.date | None:
    """Dotted dates are day first everywhere they are written; a slashed one is day first unless
    only the other reading is a date, or the weekday printed beside it says otherwise."""
    day_first, month_first = _date(year, second, first), _date(year, first, second)
    if (
        separator == "/"
        and weekday is not None
        and month_first
        and month_first.weekday() == weekday
        and not (day_first and day_first.weekday() == weekday)
    ):
        return month_first
    return day_first or (month_first if separator == "/" else None)


def _own_date(text: str) -> datetime.date | None | bool:
    """The forms outlets use most, read without dateparser (which costs a millisecond or more a line).

    False when the text is a date's shape but no date (a weekday that does not fit the day).
    """
    if match := ISO.match(text):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    text = _YEAR_WORDS.sub(" ", _TIME.sub(" ", text)).strip(" ,.-–—")
    text = _ORDINAL.sub(r"\1", text)
    weekday = None
    if (first := re.match(r"^([^\W\d_]+)\.?,?\s+", text)) and first[1].lower() in WEEKDAYS:
        weekday = WEEKDAYS[first[1].lower()]
        text = text[first.end() :]
    if match := NUMERIC.match(re.sub(r"\s+", "", text).strip(",.-")):
        return _numeric(int(match[1]), int(match[3]), int(match[4]), match[2], weekday)
    words = [word.rstrip(".").lower() for word in _WORD.findall(text)]
    numbers = [word for word in words if word.isdigit()]
    names = [word for word in words if not word.isdigit()]
    if len(words) != 3 or len(numbers) != 2 or names[0] not in MONTHS:
        return None
    years = [number for number in numbers if len(number) == 4]
    days = [number for number in numbers if len(number) <= 2]
    if len(years) != 1 or len(days) != 1:
        return None
    found = _date(int(years[0]), MONTHS[names[0]], int(days[0]))
    if found and weekday is not None and found.weekday() != weekday:
        return False  # "Monday 8 July 2025" names two different days: not read as either
    return found


def parse_date(text: str) -> datetime.date | None:
    """A full date (day, month and year), or None."""
    text = text.strip().strip(",;").rstrip(".")
    if not text or len(text) > 60 or len(text.split()) > 7 or not DATE_SHAPE.search(text):
        return None
    date = _own_date(text)
    if date is not None:
        return date or None
    found = _date_parser().get_date_data(_TIME.sub(" ", text))
    return found.date_obj.date() if found and found.date_obj else None


NAME_PARTICLES = {
    "de",
    "da",
    "del",
    "der",
    "van",
    "von",
    "la",
    "le",
    "bin",
    "ibn",
    "al",
    "el",
    "и",
    "ван",
    "фон",
}


def looks_like_name(text: str) -> bool:
    words = text.replace(".", ". ").split()
    if not 1 <= len(words) <= 5 or len(text) > 80:
        return False
    if any(ch.isdigit() for ch in text) or re.search(r"[:;!?«»\"“”()|/@]", text):
        return False
    return (
        all(word[0].isupper() or word.lower() in NAME_PARTICLES for word in words) and words[0][0].isupper()
    )


DATE_LABEL = re.compile(
    r"^(?:date of publication|publication date|date published|first published(?: on)?|published(?: on)?"
    r"|posted(?: on)?|date|publié le|publié|veröffentlicht am|veröffentlicht|publicado el|publicado"
    r"|pubblicato il|pubblicato|дата публикации|дата|опубликовано|опубликован|дата выхода|опубліковано"
    r"|жарияланды|жарияланған күні|жарияланған уақыты|күні"
    r"|issue\s+\d+,|no\.\s*\d+,|№\s*\d+,|выпуск\s+\d+,|нөмір\s*\d+,)(?:\s*[:\-–—]\s*|\s+)(?P<date>.+)$",
    re.IGNORECASE,
)
AUTHOR_LABEL = (
    r"by|written by|submitted by|posted by|published by|words by|text by|story by|author|authors|автор|авторы|автором|авторлар|текст"
    r"|мақала авторы|материал дайындаған|дайындаған|мәтін|автор текста|подготовил|подготовила|подготовили"
    r"|reporting by|report by|words|words and pictures by"
)
BYLINE = re.compile(rf"^(?:{AUTHOR_LABEL})(?:\s*[:\-–—]\s*|\s+)(?P<rest>.+)$", re.IGNORECASE)
# "Submitted by Jane Doe on Thu, 06/05/2025 - 14:30", "Written by Jane Doe on 12th March 2025"
AUTHOR_THEN_DATE = re.compile(
    rf"^(?:{AUTHOR_LABEL})\s+(?P<rest>.+?)\s+(?:on|в|,)\s+(?P<date>.*\d.*)$", re.IGNORECASE
)
PLURAL_LABEL = re.compile(r"^(?:authors|авторы|авторлар)\b", re.IGNORECASE)
# "Posted on 3 June 2025 by Jane Doe", "Опубликовано 5 апреля 2025 автором Анна Белова"
DATE_THEN_AUTHOR = re.compile(
    r"^(?P<date>.+?)\s+(?:by|автором|автор|авторы)\s*:?\s+(?P<rest>.+)$", re.IGNORECASE
)
PIECES = re.compile(r"\s+[|•·—–]\s*|\s*[|•·]\s+|\s*\|\s*|\s+-\s+|\s*·\s*")
NAME_JOINERS = re.compile(r"\s*,\s*|\s+(?:and|&|и|және|мен)\s+", re.IGNORECASE)
READING_TIME = re.compile(
    r"^[—–-]?\s*\d+\s*(?:min(?:ute)?s?|мин(?:ут[аы]?)?|минут|минуттық)\.?(?:\s+(?:read|reading|чтения|оқу|оқылады))?$",
    re.IGNORECASE,
)
# "Обновлено 15:10", "Updated 3 June 2025": when a text was changed, not when it was published.
UPDATED = re.compile(
    r"^(?:last )?(?:updated|modified|обновлено|изменено|жаңартылды)\b.{0,40}$", re.IGNORECASE
)
CLOCK = re.compile(r"^(?:в\s+|at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?$", re.IGNORECASE)


@lru_cache(maxsize=8)
def _furniture_regex(patterns: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"^\s*(?:{alternatives})\s*[:.!]?\s*$", re.IGNORECASE)


def furniture_regex() -> re.Pattern:
    """A whole line (or piece of one) that is page furniture: ``GLOSSA_FURNITURE_PATTERNS``."""
    return _furniture_regex(tuple(settings.GLOSSA_FURNITURE_PATTERNS))


@dataclass
class Metadata:
    published_on: datetime.date | None = None
    authors: list[str] = field(default_factory=list)
    author_role: str = ""
    notes: list[str] = field(default_factory=list)


def proper_name(name: str) -> str:
    """A name as it is written in running text: "SARAH KING" from a byline set in capitals."""
    letters = [ch for ch in name if ch.isalpha()]
    return name.title() if letters and all(ch.isupper() for ch in letters) else name


def split_names(text: str, *, plural: bool) -> tuple[list[str], str]:
    """(names, role) of a byline's text: "A and B", "A, B" after a plural label, else "Name, role"."""
    text = text.strip().rstrip(".")
    if plural or re.search(r"\s(?:and|&|и|және)\s", text):
        names = [part.strip() for part in NAME_JOINERS.split(text) if part.strip()]
        if names and all(looks_like_name(name) for name in names):
            return [proper_name(name) for name in names], ""
    name, _, role = (piece.strip() for piece in text.partition(","))
    return ([proper_name(name)], role) if looks_like_name(name) else ([], "")


def _byline_piece(piece: str) -> tuple[list[str], str] | None:
    if match := BYLINE.match(piece):
        names, role = split_names(match["rest"], plural=bool(PLURAL_LABEL.match(piece)))
        return (names, role) if names else None
    return None


def read_line(line: str, meta: Metadata, *, bare_name_role: bool = False) -> bool:
    """Take the date and byline of a metadata line into ``meta``; False (and ``meta`` untouched)
    unless every piece of the line is understood.

    ``bare_name_role``: also read "Jane Doe, Senior Fellow" (a name and role without a label), as
    printed right under a headline.
    """
    if len(line) > 200 or not line.strip():
        return False
    found = _read_pieces(line)
    if found is None or (found.published_on is None and not found.authors):
        if not bare_name_role:
            return False
        # "Jane Doe, Senior Fellow" or "Мария Левина — экономист"
        names, role = split_names(re.sub(r"\s+[—–]\s+", ", ", line, count=1), plural=False)
        if (
            not names
            or len(names[0].split()) < 2
            or not role
            or len(role.split()) > 12
            or role.endswith((".", "!", "?"))
        ):
            return False
        found = Metadata(authors=names, author_role=role)
    if found.published_on and meta.published_on is None:
        meta.published_on = found.published_on
    if found.authors and not meta.authors:
        meta.authors, meta.author_role = found.authors, found.author_role
    return True


def _read_pieces(line: str) -> Metadata | None:
    found = Metadata()
    for piece in PIECES.split(line.strip()):
        piece = piece.strip().strip(",")
        if (
            not piece
            or READING_TIME.match(piece)
            or CLOCK.match(piece)
            or (found.published_on and UPDATED.match(piece))
            or furniture_regex().match(piece)  # "12 March 2025 · 1,204 views"
        ):
            continue
        label = DATE_LABEL.match(piece)
        if date := (label and parse_date(label["date"])) or parse_date(piece):
            found.published_on = found.published_on or date
        elif (match := AUTHOR_THEN_DATE.match(piece)) and (date := parse_date(match["date"])):
            names, role = split_names(match["rest"], plural=False)
            if not names:
                return None
            found.published_on = found.published_on or date
            found.authors, found.author_role = found.authors or names, found.author_role or role
        elif byline := _byline_piece(piece):
            found.authors, found.author_role = found.authors or byline[0], found.author_role or byline[1]
        elif match := DATE_THEN_AUTHOR.match(piece):
            label = DATE_LABEL.match(match["date"])
            date = parse_date(label["date"] if label else match["date"])
            names, role = split_names(match["rest"], plural=False)
            if date is None or not names:
                return None
            found.published_on = found.published_on or date
            found.authors, found.author_role = found.authors or names, found.author_role or role
        else:
            return None
    return found


def clean_author(text: str) -> list[str]:
    """Names from an author field found by trafilatura, which keeps labels and joins names with ";"."""
    names: list[str] = []
    for part in re.split(r"\s*;\s*", text):
        part = re.sub(rf"^(?:{AUTHOR_LABEL})\b\s*[:\-–—]?\s*", "", part.strip(), flags=re.IGNORECASE)
        for name in NAME_JOINERS.split(part):
            if looks_like_name(name.strip()) and name.strip() not in names:
                names.append(name.strip())
    return names
