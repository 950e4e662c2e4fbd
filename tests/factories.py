from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from annotations.models import Annotation, Citation, Correction, Rating, Source
from articles.models import Article, Author, Outlet, Paragraph


def add_tags(obj, create: bool, extracted, **kwargs) -> None:
    """``tags=["energy", "gas"]`` tags the new row."""
    if create and extracted:
        obj.tags.add(*extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    role = "Columnist"
    outlet = factory.SubFactory(OutletFactory)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    author = factory.SubFactory(AuthorFactory)
    outlet = factory.SelfAttribute("author.outlet")
    published_on = factory.Faker("date_between", start_date="-3y", end_date="today")
    language = "en"
    status = Article.Status.PUBLISHED
    tags = factory.PostGeneration(add_tags)


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "The quick brown fox jumps over the lazy dog. The dog sleeps."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://example.org/doc/{n}")
    title = factory.Sequence(lambda n: f"Document {n}")
    publisher = "Example Publisher"


def rating(slug: str) -> Rating:
    return Rating.objects.get(slug=slug)


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation
        skip_postgeneration_save = True

    paragraph = factory.SubFactory(ParagraphFactory)
    exact = "brown fox"
    kind = Annotation.Kind.CLAIM
    rating = factory.LazyFunction(lambda: rating("false"))
    claim_text = "A fox is brown."
    conclusion = "Foxes vary."
    status = Annotation.Status.PUBLISHED
    tags = factory.PostGeneration(add_tags)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    annotation = factory.SubFactory(AnnotationFactory)
    source = factory.SubFactory(SourceFactory)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    annotation = factory.SubFactory(AnnotationFactory)
    old_rating = factory.LazyFunction(lambda: rating("true"))
    new_rating = factory.LazyFunction(lambda: rating("false"))
    note = "New evidence."
