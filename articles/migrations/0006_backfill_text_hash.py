"""Existing articles get the text hash and canonical address that recognise a repeat import."""

from django.db import migrations

from articles.text import text_hash
from articles.validators import canonical_url


def backfill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Paragraph = apps.get_model("articles", "Paragraph")
    changed = []
    for article in Article.objects.only("pk", "original_url").iterator(chunk_size=500):
        texts = (
            Paragraph.objects.filter(article_id=article.pk)
            .order_by("position")
            .values_list("text", flat=True)
        )
        article.text_hash = text_hash(list(texts))
        article.canonical_url = canonical_url(article.original_url or "")
        changed.append(article)
        if len(changed) >= 500:
            Article.objects.bulk_update(changed, ["text_hash", "canonical_url"])
            changed = []
    Article.objects.bulk_update(changed, ["text_hash", "canonical_url"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_import_jobs_and_fetched_pages")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
