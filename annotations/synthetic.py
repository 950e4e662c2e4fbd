"""A synthetic archive for benchmarks: many articles, paragraphs, annotations and tags, quickly.

The text is made of shuffled commentary vocabulary; nothing in it is a real statement. Rows
are written in batches (COPY on PostgreSQL) with ids chosen beforehand, and the search index is
filled once at the end, so 100,000 articles take minutes.
"""

from __future__ import annotations

import datetime
import itertools
import random
import secrets
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from psycopg.types.json import Jsonb
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Outlet, Paragraph
from articles.text import KEY_ALPHABET

from .models import Annotation, Rating

ENGLISH = [
    "government",
    "minister",
    "pipeline",
    "energy",
    "gas",
    "oil",
    "pension",
    "reform",
    "tariff",
    "budget",
    "election",
    "parliament",
    "president",
    "sanctions",
    "trade",
    "export",
    "import",
    "treaty",
    "alliance",
    "border",
    "security",
    "inflation",
    "currency",
    "bank",
    "investment",
    "mining",
    "uranium",
    "grain",
    "harvest",
    "drought",
    "water",
    "river",
    "railway",
    "corridor",
    "port",
    "transit",
    "china",
    "russia",
    "europe",
    "union",
    "kazakhstan",
    "steppe",
    "capital",
    "region",
    "province",
    "court",
    "law",
    "constitution",
    "referendum",
    "protest",
    "media",
    "press",
    "freedom",
    "corruption",
    "audit",
    "report",
    "statistics",
    "growth",
    "decline",
    "forecast",
    "promise",
    "claim",
    "expert",
    "analyst",
    "observer",
    "official",
    "spokesman",
    "source",
    "document",
    "agreement",
    "negotiation",
    "summit",
    "delegation",
    "visit",
    "contract",
    "company",
    "state",
    "private",
    "public",
    "debt",
    "loan",
    "fund",
    "subsidy",
    "price",
    "cost",
    "household",
    "income",
    "wage",
    "labour",
    "migrant",
    "worker",
]
RUSSIAN = [
    "правительство",
    "министр",
    "газ",
    "нефть",
    "пенсия",
    "реформа",
    "тариф",
    "бюджет",
    "выборы",
    "парламент",
    "президент",
    "санкции",
    "торговля",
    "экспорт",
    "договор",
    "союз",
    "граница",
    "безопасность",
    "инфляция",
    "валюта",
    "банк",
    "инвестиции",
    "урожай",
    "вода",
    "река",
    "железная",
    "дорога",
    "порт",
    "транзит",
    "регион",
    "суд",
    "закон",
    "конституция",
    "референдум",
]
FILLER = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "on",
    "for",
    "with",
    "that",
    "this",
    "is",
    "was",
    "by",
    "as",
    "at",
    "from",
]
TAG_WORDS = [
    "energy",
    "pensions",
    "tariffs",
    "elections",
    "sanctions",
    "trade",
    "treaties",
    "security",
    "inflation",
    "banking",
    "mining",
    "agriculture",
    "water",
    "transport",
    "china",
    "russia",
    "europe",
    "kazakhstan",
    "courts",
    "constitution",
    "protests",
    "media",
    "corruption",
    "statistics",
    "debt",
    "labour",
    "migration",
    "budget",
    "gas",
    "oil",
    "uranium",
    "grain",
    "railways",
    "ports",
    "diplomacy",
    "summits",
    "loans",
    "subsidies",
    "prices",
    "wages",
    "health",
    "education",
    "climate",
    "drought",
    "borders",
]


@dataclass
class SynthResult:
    articles: int
    paragraphs: int
    annotations: int
    tags: int


SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tan",
    "sel",
    "dor",
    "vi",
    "len",
    "as",
    "bur",
    "ne",
    "gal",
    "to",
    "rin",
    "ust",
    "pe",
]


def _vocabulary(words: list[str], rng: random.Random, size: int = 3000) -> tuple[list[str], list[float]]:
    """Words with Zipf-like frequencies, as in real text: a few very common, most of them rare.

    Invented words take the very common and the rare ranks; the real words sit in between, where
    the words people search for are. Returns the words and their cumulative weights.
    """
    invented = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)}
    vocabulary = sorted(invented - set(words))[: size - len(words)]
    rng.shuffle(vocabulary)
    real = list(words)
    rng.shuffle(real)
    for index, word in enumerate(real):
        vocabulary.insert(10 + 3 * index, word)
    return vocabulary, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))


def _sentence(rng: random.Random, vocabulary: tuple[list[str], list[float]]) -> str:
    content = rng.choices(vocabulary[0], cum_weights=vocabulary[1], k=rng.randint(8, 18))
    words = [word if rng.random() < 0.6 else rng.choice(FILLER) for word in content]
    return " ".join(words).capitalize() + "."


class _Sentences:
    """A large pool of sentences per language, drawn from at random: text in bulk, quickly.

    Each paragraph is two to four sentences from the pool, so word frequencies stay those of
    the vocabulary while a million paragraphs cost a million draws, not a million sentences.
    """

    def __init__(self, rng: random.Random, vocabulary: tuple[list[str], list[float]], size: int):
        self.rng = rng
        self.pool = [_sentence(rng, vocabulary) for _ in range(size)]

    def sentence(self) -> str:
        return self.rng.choice(self.pool)

    def paragraph(self) -> str:
        return " ".join(self.rng.choices(self.pool, k=self.rng.randint(2, 4)))


def _anchor(rng: random.Random, text: str) -> dict:
    words = text.split(" ")
    first = rng.randrange(0, max(1, len(words) - 4))
    exact = " ".join(words[first : first + rng.randint(2, 4)]).rstrip(".")
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = start + len(exact)
    return {
        "exact": exact,
        "start": start,
        "end": end,
        "prefix": text[max(0, start - 32) : start],
        "suffix": text[end : end + 32],
    }


class _Writer:
    """Rows written in bulk with ids chosen beforehand, so that rows can point at each other.

    PostgreSQL takes them by COPY (its triggers fill the search vectors as rows arrive); other
    databases by bulk_create. Only the fields given and those with a constant default are
    written; ``search_vector`` is left to the database.
    """

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.now = timezone.now()

    def ids(self, model, n: int) -> list[int]:
        if not n:
            return []
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, model._meta.pk.column, n],
                )
                return [row[0] for row in cursor.fetchall()]
        # One writer at a time (a benchmark tool): the ids after the highest in use.
        first = (model.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1
        return list(range(first, first + n))

    def write(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        fields = [f for f in model._meta.concrete_fields if f.attname != "search_vector"]
        constant = {}
        for f in fields:
            if f.attname in rows[0]:
                continue
            if (
                getattr(f, "auto_now", False)
                or getattr(f, "auto_now_add", False)
                or f.default is timezone.now
            ):
                constant[f.attname] = self.now
            else:  # a constant, a fresh dict or list, or the field's empty value
                constant[f.attname] = f.get_default()
        names = [f.attname for f in fields]
        if self.postgres:
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            for name, value in constant.items():
                if isinstance(value, dict | list):
                    constant[name] = Jsonb(value)
            sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([row[n] if n in row else constant[n] for n in names])
        else:
            model.objects.bulk_create(
                (model(**{**constant, **row}) for row in rows), batch_size=max(1, 900 // len(names))
            )


def _keys(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct paragraph keys (as ``articles.text.new_key`` makes them)."""
    keys: set[str] = set()
    while len(keys) < n:
        keys.add("".join(rng.choices(KEY_ALPHABET, k=8)))
    return list(keys)


def synthesise(
    articles: int,
    paragraphs_per_article: int = 15,
    annotations_per_article: int = 3,
    seed: int = 1,
    batch: int = 2000,
) -> SynthResult:
    rng = random.Random(seed)
    run = secrets.token_hex(3)
    english = _Sentences(rng, _vocabulary(ENGLISH, rng), size=min(50_000, 200 + articles * 20))
    russian = _Sentences(rng, _vocabulary(RUSSIAN, rng, size=1500), size=min(20_000, 100 + articles * 5))
    with transaction.atomic():
        outlets = Outlet.objects.bulk_create(
            Outlet(name=f"Synthetic Outlet {run} {n}", slug=f"synth-{run}-outlet-{n}") for n in range(20)
        )
        authors = Author.objects.bulk_create(
            Author(name=f"Synthetic Author {run} {n}", slug=f"synth-{run}-author-{n}", outlet=outlets[n % 20])
            for n in range(200)
        )
        existing = {t.name: t for t in Tag.objects.filter(name__in=TAG_WORDS)}
        new_tags = [Tag(name=w, slug=w) for w in TAG_WORDS if w not in existing]
        Tag.objects.bulk_create(new_tags)
        tags = list(Tag.objects.filter(name__in=TAG_WORDS).order_by("name"))
    ratings = [rating.pk for rating in Rating.objects.all()]
    article_type = ContentType.objects.get_for_model(Article).pk
    annotation_type = ContentType.objects.get_for_model(Annotation).pk
    # Some tags are far more common than others, as in a real archive.
    tag_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(tags))))
    tag_ids = [tag.pk for tag in tags]
    start_date = datetime.date(2015, 1, 1)
    totals = SynthResult(0, 0, 0, len(tags))
    writer = _Writer()
    published, drafts = Article.Status.PUBLISHED, [Article.Status.DRAFT, Article.Status.REVIEW]

    for offset in range(0, articles, batch):
        size = min(batch, articles - offset)
        with transaction.atomic():
            article_ids = writer.ids(Article, size)
            paragraph_ids = iter(writer.ids(Paragraph, size * paragraphs_per_article))
            annotation_ids = iter(writer.ids(Annotation, size * annotations_per_article))
            made, paragraphs, annotations, tagged = [], [], [], []
            for n, article_id in zip(range(offset, offset + size), article_ids, strict=True):
                language = "ru" if rng.random() < 0.1 else "en"
                text = russian if language == "ru" else english
                author = rng.choice(authors)
                status = published if rng.random() < 0.92 else rng.choice(drafts)
                made.append(
                    {
                        "id": article_id,
                        "title": text.sentence()[:200],
                        "slug": f"synth-{run}-{n}",
                        "author_id": author.pk,
                        "outlet_id": author.outlet_id,
                        "language": language,
                        "status": status,
                        "published_on": start_date + datetime.timedelta(days=rng.randrange(0, 3650)),
                        "first_published_at": writer.now if status == published else None,
                    }
                )
                own = []
                for position, key in enumerate(_keys(rng, paragraphs_per_article), start=1):
                    own.append(
                        {
                            "id": next(paragraph_ids),
                            "article_id": article_id,
                            "position": position,
                            "text": text.paragraph(),
                            "key": key,
                        }
                    )
                paragraphs.extend(own)
                for _ in range(annotations_per_article):
                    paragraph = rng.choice(own)
                    kind = rng.choices(["claim", "source", "note"], weights=[6, 2, 2])[0]
                    annotation_status = (
                        Annotation.Status.PUBLISHED if rng.random() < 0.9 else Annotation.Status.DRAFT
                    )
                    annotations.append(
                        {
                            "id": next(annotation_ids),
                            "article_id": article_id,
                            "paragraph_id": paragraph["id"],
                            "kind": kind,
                            "rating_id": rng.choice(ratings) if kind == "claim" else None,
                            "claim_text": english.sentence() if kind == "claim" else "",
                            "conclusion": english.sentence()[:300] if kind == "claim" else "",
                            "body": english.paragraph(),
                            "status": annotation_status,
                            "published_at": writer.now
                            if annotation_status == Annotation.Status.PUBLISHED
                            else None,
                            **_anchor(rng, paragraph["text"]),
                        }
                    )
                for tag in set(rng.choices(tag_ids, cum_weights=tag_weights, k=rng.randint(2, 4))):
                    tagged.append((tag, article_type, article_id))
            for annotation in annotations:
                for tag in set(rng.choices(tag_ids, cum_weights=tag_weights, k=rng.randint(1, 2))):
                    tagged.append((tag, annotation_type, annotation["id"]))
            writer.write(Article, made)
            writer.write(Paragraph, paragraphs)
            writer.write(Annotation, annotations)
            item_ids = writer.ids(TaggedItem, len(tagged))
            writer.write(
                TaggedItem,
                [
                    {"id": pk, "tag_id": tag, "content_type_id": content_type, "object_id": object_id}
                    for pk, (tag, content_type, object_id) in zip(item_ids, tagged, strict=True)
                ],
            )
        totals.articles += len(made)
        totals.paragraphs += len(paragraphs)
        totals.annotations += len(annotations)
    # Rows written in bulk record nothing: one change for the whole load (the search index and the
    # summaries are derived once, and the planner's statistics brought up to date).
    Article.objects.none().record_change(everything=True, bulk=True)
    return totals
