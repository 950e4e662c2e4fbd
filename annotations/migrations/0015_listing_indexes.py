"""Indexes for the claims list and a tag's annotations, newest first, on PostgreSQL
(articles/listing.py). SQLite cannot index ``NULLS LAST``; its demo-sized lists need none."""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS annotation_claims_newest ON annotations_annotation
  (published_at DESC NULLS LAST, id DESC) WHERE status = 'published' AND kind = 'claim';
CREATE INDEX IF NOT EXISTS annotation_published_newest ON annotations_annotation
  (published_at DESC NULLS LAST, id DESC) WHERE status = 'published';
"""

BACKWARD = """
DROP INDEX IF EXISTS annotation_claims_newest;
DROP INDEX IF EXISTS annotation_published_newest;
"""


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("annotations", "0014_summaries")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
