"""Covering indexes for search listings on PostgreSQL.

A tag or full-text match gives a set of annotation ids; checking that each one is published,
on a published article, and sorting by date then reads only these indexes (index-only scans)
instead of the wide annotation rows with their note text and search vector.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS annotations_annotation_listing
  ON annotations_annotation (id) INCLUDE (status, article_id, paragraph_id, start, kind, rating_id);
CREATE INDEX IF NOT EXISTS articles_article_listing
  ON articles_article (id) INCLUDE (status, published_on, outlet_id, author_id, language);
"""

BACKWARD = """
DROP INDEX IF EXISTS annotations_annotation_listing;
DROP INDEX IF EXISTS articles_article_listing;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0007_postgres_search")]

    operations = [migrations.RunPython(forward, backward)]
