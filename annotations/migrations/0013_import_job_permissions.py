"""Editors follow, resume and delete import jobs (the model is new in articles 0005)."""

from django.db import migrations

from annotations.defaults import create_groups


def forwards(apps, schema_editor):
    create_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0012_tag_vocabulary"),
        ("articles", "0006_backfill_text_hash"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
