"""Indexes for the reader lists, newest first, on PostgreSQL (articles/listing.py).

Each list (the archive, an outlet's and an author's articles, the feeds) reads a page from its index where
the previous page ended. SQLite cannot index ``NULLS LAST``; its demo-sized lists need none.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS article_published_newest ON articles_article
  (published_on DESC NULLS LAST, id DESC) WHERE status = 'published';
CREATE INDEX IF NOT EXISTS article_outlet_newest ON articles_article
  (outlet_id, published_on DESC NULLS LAST, id DESC) WHERE status = 'published';
CREATE INDEX IF NOT EXISTS article_author_newest ON articles_article
  (author_id, published_on DESC NULLS LAST, id DESC) WHERE status = 'published';
CREATE INDEX IF NOT EXISTS article_first_published ON articles_article
  (first_published_at DESC, id DESC) WHERE status = 'published';
"""

BACKWARD = """
DROP INDEX IF EXISTS article_published_newest;
DROP INDEX IF EXISTS article_outlet_newest;
DROP INDEX IF EXISTS article_author_newest;
DROP INDEX IF EXISTS article_first_published;
"""


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_backfill_text_hash")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
