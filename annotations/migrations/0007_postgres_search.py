"""PostgreSQL full-text search: triggers keep the stored vectors current, GIN indexes serve them.

Everything here runs on PostgreSQL only; on SQLite the vector columns stay empty and
articles/search.py matches words with a regular expression instead. Triggers rather than
save() code, so that bulk_create (imports, synthetic data, archive restore) is covered too.
"""

from django.db import migrations

# ISO 639-1 code -> built-in PostgreSQL text-search configuration. Anything else: 'simple'.
# Kept in step with articles.search.LANGUAGE_CONFIGS; a change here needs a new migration.
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

CASES = "\n".join(
    f"    WHEN '{code}' THEN '{config}'::regconfig" for code, config in LANGUAGE_CONFIGS.items()
)

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION glossa_search_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE lang
{CASES}
    ELSE 'simple'::regconfig
  END
$$;

CREATE OR REPLACE FUNCTION glossa_annotation_vector(cfg regconfig, claim text, conclusion text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector(cfg, coalesce(claim, '')), 'A')
      || setweight(to_tsvector(cfg, coalesce(conclusion, '')), 'B')
      || setweight(to_tsvector(cfg, coalesce(body, '')), 'C')
$$;

CREATE OR REPLACE FUNCTION glossa_article_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := setweight(to_tsvector(glossa_search_config(NEW.language), coalesce(NEW.title, '')), 'A');
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION glossa_article_language_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE articles_paragraph
     SET search_vector = to_tsvector(glossa_search_config(NEW.language), text)
   WHERE article_id = NEW.id;
  UPDATE annotations_annotation
     SET search_vector = glossa_annotation_vector(glossa_search_config(NEW.language), claim_text, conclusion, body)
   WHERE article_id = NEW.id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION glossa_paragraph_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := to_tsvector(
    glossa_search_config((SELECT language FROM articles_article WHERE id = NEW.article_id)), NEW.text);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION glossa_annotation_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := glossa_annotation_vector(
    glossa_search_config((SELECT language FROM articles_article WHERE id = NEW.article_id)),
    NEW.claim_text, NEW.conclusion, NEW.body);
  RETURN NEW;
END $$;

CREATE TRIGGER articles_article_search_vector
  BEFORE INSERT OR UPDATE OF title, language ON articles_article
  FOR EACH ROW EXECUTE FUNCTION glossa_article_search_vector();
CREATE TRIGGER articles_article_language_changed
  AFTER UPDATE OF language ON articles_article
  FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
  EXECUTE FUNCTION glossa_article_language_changed();
CREATE TRIGGER articles_paragraph_search_vector
  BEFORE INSERT OR UPDATE OF text, article_id ON articles_paragraph
  FOR EACH ROW EXECUTE FUNCTION glossa_paragraph_search_vector();
CREATE TRIGGER annotations_annotation_search_vector
  BEFORE INSERT OR UPDATE OF claim_text, conclusion, body, article_id ON annotations_annotation
  FOR EACH ROW EXECUTE FUNCTION glossa_annotation_search_vector();

UPDATE articles_article SET title = title;
UPDATE articles_paragraph SET text = text;
UPDATE annotations_annotation SET body = body;

CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_vector);
CREATE INDEX articles_paragraph_search_gin ON articles_paragraph USING gin (search_vector);
CREATE INDEX annotations_annotation_search_gin ON annotations_annotation USING gin (search_vector);
CREATE INDEX taggit_tag_name_trgm ON taggit_tag USING gin (name gin_trgm_ops);
CREATE INDEX annotations_source_title_trgm ON annotations_source USING gin (title gin_trgm_ops);
"""  # noqa: S608 (built from the constants above)

BACKWARD = """
DROP INDEX IF EXISTS annotations_source_title_trgm;
DROP INDEX IF EXISTS taggit_tag_name_trgm;
DROP INDEX IF EXISTS annotations_annotation_search_gin;
DROP INDEX IF EXISTS articles_paragraph_search_gin;
DROP INDEX IF EXISTS articles_article_search_gin;
DROP TRIGGER IF EXISTS annotations_annotation_search_vector ON annotations_annotation;
DROP TRIGGER IF EXISTS articles_paragraph_search_vector ON articles_paragraph;
DROP TRIGGER IF EXISTS articles_article_language_changed ON articles_article;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS glossa_annotation_search_vector();
DROP FUNCTION IF EXISTS glossa_paragraph_search_vector();
DROP FUNCTION IF EXISTS glossa_article_language_changed();
DROP FUNCTION IF EXISTS glossa_article_search_vector();
DROP FUNCTION IF EXISTS glossa_annotation_vector(regconfig, text, text, text);
DROP FUNCTION IF EXISTS glossa_search_config(text);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: psycopg then accepts several statements in one call.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_search_vectors"),
        ("articles", "0003_search_vectors"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(forward, backward)]
