"""A synthetic archive for benchmarks: many articles, paragraphs, annotations and tags, quickly.

The text is made of shuffled commentary vocabulary; nothing in it is a real statement. Rows
are written with bulk_create in batches, so 20,000 articles take minutes, not hours.
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Outlet, Paragraph

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
    the words people search for are.
    """
    invented = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size * 2)}
    vocabulary = sorted(invented - set(words))[: size - len(words)]
    rng.shuffle(vocabulary)
    real = list(words)
    rng.shuffle(real)
    for index, word in enumerate(real):
        vocabulary.insert(10 + 3 * index, word)
    return vocabulary, [1 / (rank + 1) for rank in range(len(vocabulary))]


def _sentence(rng: random.Random, vocabulary: tuple[list[str], list[float]]) -> str:
    content = rng.choices(vocabulary[0], weights=vocabulary[1], k=rng.randint(8, 18))
    words = [word if rng.random() < 0.6 else rng.choice(FILLER) for word in content]
    return " ".join(words).capitalize() + "."


def _paragraph_text(rng: random.Random, vocabulary: tuple[list[str], list[float]]) -> str:
    return " ".join(_sentence(rng, vocabulary) for _ in range(rng.randint(2, 4)))


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


def synthesise(
    articles: int,
    paragraphs_per_article: int = 15,
    annotations_per_article: int = 3,
    seed: int = 1,
    batch: int = 500,
) -> SynthResult:
    rng = random.Random(seed)
    run = secrets.token_hex(3)
    english, russian = _vocabulary(ENGLISH, rng), _vocabulary(RUSSIAN, rng, size=1500)
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
    ratings = list(Rating.objects.all())
    article_type = ContentType.objects.get_for_model(Article)
    annotation_type = ContentType.objects.get_for_model(Annotation)
    # Some tags are far more common than others, as in a real archive.
    weights = [1 / (rank + 1) for rank in range(len(tags))]
    start_date = datetime.date(2015, 1, 1)
    totals = SynthResult(0, 0, 0, len(tags))

    for offset in range(0, articles, batch):
        size = min(batch, articles - offset)
        with transaction.atomic():
            made = []
            for n in range(offset, offset + size):
                language = "ru" if rng.random() < 0.1 else "en"
                vocabulary = russian if language == "ru" else english
                author = rng.choice(authors)
                status = (
                    Article.Status.PUBLISHED
                    if rng.random() < 0.92
                    else rng.choice([Article.Status.DRAFT, Article.Status.REVIEW])
                )
                made.append(
                    Article(
                        title=_sentence(rng, vocabulary)[:200],
                        slug=f"synth-{run}-{n}",
                        author=author,
                        outlet=author.outlet,
                        language=language,
                        status=status,
                        published_on=start_date + datetime.timedelta(days=rng.randrange(0, 3650)),
                    )
                )
            made = Article.objects.bulk_create(made)
            paragraphs = []
            for article in made:
                vocabulary = russian if article.language == "ru" else english
                for position in range(1, paragraphs_per_article + 1):
                    paragraphs.append(
                        Paragraph(article=article, position=position, text=_paragraph_text(rng, vocabulary))
                    )
            paragraphs = Paragraph.objects.bulk_create(paragraphs)
            annotations = []
            for index, article in enumerate(made):
                own = paragraphs[index * paragraphs_per_article : (index + 1) * paragraphs_per_article]
                for _ in range(annotations_per_article):
                    paragraph = rng.choice(own)
                    kind = rng.choices(["claim", "source", "note"], weights=[6, 2, 2])[0]
                    annotations.append(
                        Annotation(
                            article=article,
                            paragraph=paragraph,
                            kind=kind,
                            rating=rng.choice(ratings) if kind == "claim" else None,
                            claim_text=_sentence(rng, english) if kind == "claim" else "",
                            conclusion=_sentence(rng, english) if kind == "claim" else "",
                            body=_paragraph_text(rng, english),
                            status=Annotation.Status.PUBLISHED
                            if rng.random() < 0.9
                            else Annotation.Status.DRAFT,
                            **_anchor(rng, paragraph.text),
                        )
                    )
            annotations = Annotation.objects.bulk_create(annotations)
            tagged = []
            for article in made:
                for tag in set(rng.choices(tags, weights=weights, k=rng.randint(2, 4))):
                    tagged.append(TaggedItem(tag=tag, content_type=article_type, object_id=article.pk))
            for annotation in annotations:
                for tag in set(rng.choices(tags, weights=weights, k=rng.randint(1, 2))):
                    tagged.append(TaggedItem(tag=tag, content_type=annotation_type, object_id=annotation.pk))
            TaggedItem.objects.bulk_create(tagged)
        totals.articles += len(made)
        totals.paragraphs += len(paragraphs)
        totals.annotations += len(annotations)
    # bulk_create records nothing: one change for the whole load (the search index is built once).
    Article.objects.none().record_change(everything=True, bulk=True)
    return totals
