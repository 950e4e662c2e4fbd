"""An index for "the items of this type carrying this tag": a tag's page, its counts and the tag
filters read it alone (index-only) instead of every tagged item's row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0015_listing_indexes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS taggit_taggeditem_tag_type_object "
            "ON taggit_taggeditem (tag_id, content_type_id, object_id)",
            "DROP INDEX IF EXISTS taggit_taggeditem_tag_type_object",
        )
    ]
