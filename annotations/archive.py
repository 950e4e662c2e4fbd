"""The whole archive as one JSON file, and back: the backup path.

``dump_archive`` writes everything (drafts included): outlets, authors, articles with their
provenance and original files, paragraphs, ratings, sources, annotations with anchors,
citations, corrections, tags and what they are attached to, and the accounts named as
authors of annotations or corrections (names only, never passwords). ``restore_archive``
loads such a file into an empty database in one transaction, keeping every id, so that a
second dump is identical to the first.
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import IO

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Outlet, Paragraph

from .models import Annotation, Citation, Correction, Rating, Source

FORMAT = "glossa-archive"
VERSION = 1
NOT_ARCHIVED = {"search_vector", "search_date"}  # derived by the database, rebuilt on restore
USER_FIELDS = ["username", "first_name", "last_name"]

# In dependency order: everything a row points to comes before it.
SECTIONS = [
    ("outlets", Outlet),
    ("authors", Author),
    ("ratings", Rating),
    ("sources", Source),
    ("articles", Article),
    ("paragraphs", Paragraph),
    ("annotations", Annotation),
    ("citations", Citation),
    ("corrections", Correction),
]
TAGGED_MODELS = {"articles.article": Article, "annotations.annotation": Annotation}


class ArchiveError(Exception):
    """The file is not an archive this version can restore, or the database is not empty."""


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        # Full precision, so a restored timestamp dumps exactly as it was.
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def _fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.local_fields
        if not f.primary_key and f.name not in NOT_ARCHIVED and f.serialize
    ]


def _rows(model) -> list[dict]:
    return serializers.serialize("python", model.objects.order_by("pk"), fields=_fields(model))


def archive_document() -> dict:
    document: dict = {"format": FORMAT, "version": VERSION}
    for name, model in SECTIONS:
        document[name] = _rows(model)
    user_ids = set(Annotation.objects.exclude(author=None).values_list("author_id", flat=True))
    user_ids |= set(Correction.objects.exclude(created_by=None).values_list("created_by_id", flat=True))
    User = get_user_model()
    document["users"] = [
        {"pk": user.pk, **{field: getattr(user, field) for field in USER_FIELDS}}
        for user in User.objects.filter(pk__in=user_ids).order_by("pk")
    ]
    document["tags"] = [{"pk": t.pk, "name": t.name, "slug": t.slug} for t in Tag.objects.order_by("pk")]
    labels = {ContentType.objects.get_for_model(model).pk: label for label, model in TAGGED_MODELS.items()}
    document["tagged"] = [
        {
            "pk": item.pk,
            "tag": item.tag_id,
            "model": labels[item.content_type_id],
            "object_id": item.object_id,
        }
        for item in TaggedItem.objects.filter(content_type_id__in=labels).order_by("pk")
    ]
    files = {}
    for name in (
        Article.objects.exclude(original_file="").order_by("pk").values_list("original_file", flat=True)
    ):
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                files[name] = base64.b64encode(handle.read()).decode("ascii")
    document["files"] = files
    return document


def dump_archive(out: IO[str]) -> dict[str, int]:
    document = archive_document()
    json.dump(document, out, cls=_Encoder, ensure_ascii=False, indent=1, sort_keys=True)
    out.write("\n")
    return {name: len(document[name]) for name in [*dict(SECTIONS), "users", "tags", "tagged", "files"]}


def _check_empty() -> None:
    held = {
        name: model.objects.count()
        for name, model in [*SECTIONS, ("tags", Tag)]
        if model is not Rating and model.objects.exists()
    }
    if held:
        listing = ", ".join(f"{n} {name}" for name, n in held.items())
        raise ArchiveError(
            f"The database already holds {listing}; import_archive restores into an empty database."
        )


def restore_archive(document: dict) -> dict[str, int]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError('This file is not a Glossa archive (no "format": "glossa-archive").')
    if document.get("version") != VERSION:
        raise ArchiveError(
            f"Archive version {document.get('version')!r} is not supported; this is version {VERSION}."
        )
    missing = [name for name, _model in SECTIONS if name not in document]
    missing += [name for name in ("users", "tags", "tagged", "files") if name not in document]
    if missing:
        raise ArchiveError(f"The archive lacks these sections: {', '.join(missing)}.")

    User = get_user_model()
    with transaction.atomic():
        _check_empty()
        user_ids = {}
        for row in document["users"]:
            user = User.objects.filter(username=row["username"]).first()
            if user is None:
                user = User(pk=row["pk"], **{f: row[f] for f in USER_FIELDS}, is_active=False)
                user.set_unusable_password()
                user.save()
            user_ids[row["pk"]] = user.pk
        for row in document["annotations"]:
            if row["fields"].get("author") is not None:
                row["fields"]["author"] = user_ids[row["fields"]["author"]]
        for row in document["corrections"]:
            if row["fields"].get("created_by") is not None:
                row["fields"]["created_by"] = user_ids[row["fields"]["created_by"]]

        # The default scale from the data migration gives way to the archived one.
        Rating.objects.all().delete()
        counts = {}
        for name, _model in SECTIONS:
            for obj in serializers.deserialize("python", document[name]):
                obj.save()
            counts[name] = len(document[name])
        Tag.objects.bulk_create(Tag(pk=t["pk"], name=t["name"], slug=t["slug"]) for t in document["tags"])
        content_types = {
            label: ContentType.objects.get_for_model(model) for label, model in TAGGED_MODELS.items()
        }
        TaggedItem.objects.bulk_create(
            TaggedItem(
                pk=i["pk"], tag_id=i["tag"], content_type=content_types[i["model"]], object_id=i["object_id"]
            )
            for i in document["tagged"]
        )
        for name, encoded in document["files"].items():
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(base64.b64decode(encoded)))
        # The raw saves above recorded nothing: one change for the whole archive (search index, pages).
        Article.objects.none().record_change(everything=True, bulk=True)
        models = [model for _name, model in SECTIONS] + [Tag, TaggedItem, User]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    counts.update(users=len(document["users"]), tags=len(document["tags"]), tagged=len(document["tagged"]))
    return counts
