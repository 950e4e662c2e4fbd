"""The article's date of publication on each of its paragraphs, kept by PostgreSQL triggers.

A search for a word found in about one paragraph in a hundred wants the newest few hundred of
its matches. Walking articles by date reads thousands of paragraphs to find them; reading every
match from the word's index and sorting reads thousands too. With the date on the paragraph and
an index on it, PostgreSQL intersects the word's index with one date range's (a BitmapAnd) and
reads only the paragraphs that are both (research/backends/postgres.py, ``dated_rows``).

Triggers rather than save() code, as for the search vectors (annotations migration 0007), so
that bulk inserts and COPY are covered: a new or moved paragraph takes its article's date, and
an article whose date changes passes it to its paragraphs. On SQLite the column stays empty.
"""

from django.db import migrations

# Writes wait while the dates are copied (reads go on), so none falls between the copy and the
# triggers; copying before the triggers exist spares every row a trigger call.
FORWARD = """
LOCK TABLE articles_article, articles_paragraph IN SHARE ROW EXCLUSIVE MODE;

CREATE OR REPLACE FUNCTION glossa_paragraph_search_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_date := (SELECT published_on FROM articles_article WHERE id = NEW.article_id);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION glossa_article_date_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE articles_paragraph SET search_date = NEW.published_on
   WHERE article_id = NEW.id AND search_date IS DISTINCT FROM NEW.published_on;
  RETURN NULL;
END $$;

UPDATE articles_paragraph AS p SET search_date = a.published_on
  FROM articles_article AS a WHERE a.id = p.article_id AND a.published_on IS NOT NULL;

CREATE TRIGGER articles_paragraph_search_date
  BEFORE INSERT OR UPDATE OF article_id, search_date ON articles_paragraph
  FOR EACH ROW EXECUTE FUNCTION glossa_paragraph_search_date();
CREATE TRIGGER articles_article_date_changed
  AFTER UPDATE OF published_on ON articles_article
  FOR EACH ROW WHEN (OLD.published_on IS DISTINCT FROM NEW.published_on)
  EXECUTE FUNCTION glossa_article_date_changed();

CREATE INDEX paragraph_search_date ON articles_paragraph
  (search_date DESC NULLS LAST, article_id, position);
"""

BACKWARD = """
DROP INDEX IF EXISTS paragraph_search_date;
DROP TRIGGER IF EXISTS articles_article_date_changed ON articles_article;
DROP TRIGGER IF EXISTS articles_paragraph_search_date ON articles_paragraph;
DROP FUNCTION IF EXISTS glossa_article_date_changed();
DROP FUNCTION IF EXISTS glossa_paragraph_search_date();
"""


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: psycopg then accepts several statements in one call.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_paragraph_search_date"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
