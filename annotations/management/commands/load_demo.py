from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from annotations import demo
from annotations.defaults import ensure_defaults
from annotations.models import Annotation, Citation, Rating, Source
from articles.importing import ImportProblem
from articles.importing.save import ImportResult, import_file
from articles.importing.uploads import read_upload
from articles.models import Article

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "multi-vector-policy-in-kazakh-style.txt"

DEMO_USERS = [
    # username, group (None: superuser)
    ("admin", None),
    ("editor", "Editors"),
    ("checker", "Fact-checkers"),
]
DEMO_PASSWORD = "glossa-demo"  # noqa: S105 (local demo accounts, documented)


class Command(BaseCommand):
    help = "Load the demo article with its annotations (idempotent). --with-users adds local demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users",
            action="store_true",
            help=f"Create demo accounts admin, editor and checker with password {DEMO_PASSWORD!r} (local use only).",
        )

    def handle(self, *args, with_users: bool = False, **options):
        with transaction.atomic():
            ensure_defaults()
            users = self.create_users() if with_users else {}
            article = self.load_article()
            created = self.load_annotations(article, users.get("checker"))
        self.stdout.write(
            f"Demo article “{article.title}”: {article.paragraphs.count()} paragraphs, "
            f"{article.annotations.count()} annotations ({created} new)."
        )
        if with_users:
            self.stdout.write(
                f"Demo logins at /admin/: admin, editor, checker; password {DEMO_PASSWORD!r} (local demo only)."
            )

    def create_users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, group in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": group is None}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    def load_article(self) -> Article:
        try:
            data = read_upload(SAMPLE)
        except ImportProblem as problem:
            raise SystemExit(f"The demo sample could not be imported: {problem}") from None
        result = import_file(SAMPLE.name, data, status=Article.Status.PUBLISHED)
        if result.status == ImportResult.ERROR:
            raise SystemExit(f"The demo sample could not be imported: {result.error}")
        article = result.article
        if result.status == ImportResult.CREATED:
            article.tags.add(*demo.ARTICLE_TAGS)
        return article

    def load_annotations(self, article: Article, author) -> int:
        paragraphs = list(article.paragraphs.order_by("position"))
        ratings = {rating.slug: rating for rating in Rating.objects.all()}
        sources = {}
        for key, fields in demo.SOURCES.items():
            lookup = {"url": fields["url"]} if fields["url"] else {"url": None, "title": fields["title"]}
            sources[key], _ = Source.objects.get_or_create(**lookup, defaults=fields)
        created = 0
        for item in demo.ANNOTATIONS:
            paragraph = paragraphs[item["paragraph"]]
            if Annotation.objects.filter(
                paragraph=paragraph, exact=item["exact"], kind=item["kind"]
            ).exists():
                continue
            annotation = Annotation.objects.create(
                paragraph=paragraph,
                exact=item["exact"],
                kind=item["kind"],
                rating=ratings.get(item.get("rating", "")),
                claim_text=item.get("claim_text", ""),
                claimant=article.author.name if item["kind"] == "claim" and article.author else "",
                conclusion=item.get("conclusion", ""),
                body=item["body"],
                status=Annotation.Status.PUBLISHED,
                author=author,
            )
            annotation.tags.add(*item.get("tags", []))
            for order, source_key in enumerate(item.get("sources", [])):
                Citation.objects.create(annotation=annotation, source=sources[source_key], order=order)
            created += 1
        return created
