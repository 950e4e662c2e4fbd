"""Fill the search index for annotations already published; its indexes on PostgreSQL.

A frozen copy of annotations/indexing.py, written against the historical models so that later
changes to that module do not change what this migration does.
"""

from django.db import migrations

# Indexes before rows: PostgreSQL refuses CREATE INDEX while the new rows' deferred foreign
# key checks are pending in the same transaction.
INDEXES_POSTGRES = """
CREATE INDEX IF NOT EXISTS annotations_searchentry_tags_gin ON annotations_searchentry USING gin (tag_ids);
CREATE INDEX IF NOT EXISTS annotations_searchentry_search_gin ON annotations_searchentry USING gin (search_vector);
CREATE INDEX IF NOT EXISTS annotations_searchentry_newest ON annotations_searchentry
  (published_on DESC NULLS LAST, article_id, paragraph_id, start, annotation_id);
"""

VECTORS_POSTGRES = """
UPDATE annotations_searchentry AS e
   SET search_vector = a.search_vector || setweight(coalesce(p.search_vector, ''), 'D')
  FROM annotations_annotation AS a
  LEFT JOIN articles_paragraph AS p ON p.id = a.paragraph_id
 WHERE a.id = e.annotation_id;
"""

BACKWARD_POSTGRES = """
DROP INDEX IF EXISTS annotations_searchentry_newest;
DROP INDEX IF EXISTS annotations_searchentry_search_gin;
DROP INDEX IF EXISTS annotations_searchentry_tags_gin;
"""


def fill(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(INDEXES_POSTGRES)
    Annotation = apps.get_model("annotations", "Annotation")
    SearchEntry = apps.get_model("annotations", "SearchEntry")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="annotations", model="annotation").first()
    tags: dict[int, list[int]] = {}
    if content_type is not None:
        for object_id, tag_id in TaggedItem.objects.filter(content_type=content_type).values_list(
            "object_id", "tag_id"
        ):
            tags.setdefault(object_id, []).append(tag_id)
    rows = Annotation.objects.filter(status="published", article__status="published").values_list(
        "pk",
        "article_id",
        "paragraph_id",
        "start",
        "kind",
        "rating_id",
        "article__outlet_id",
        "article__author_id",
        "article__language",
        "article__published_on",
    )
    SearchEntry.objects.bulk_create(
        (
            SearchEntry(
                annotation_id=pk,
                article_id=article_id,
                paragraph_id=paragraph_id,
                start=start,
                kind=kind,
                rating_id=rating_id,
                outlet_id=outlet_id,
                author_id=author_id,
                language=language or "",
                published_on=published_on,
                year=published_on.year if published_on else None,
                tag_ids=sorted(tags.get(pk, [])),
            )
            for pk, article_id, paragraph_id, start, kind, rating_id, outlet_id, author_id, language, published_on in rows.iterator()
        ),
        batch_size=500,
    )
    if postgres:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(VECTORS_POSTGRES)


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD_POSTGRES)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0009_search_entries"),
        ("taggit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
