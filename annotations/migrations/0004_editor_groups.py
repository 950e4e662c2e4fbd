from django.db import migrations

from annotations.defaults import EDITORS, FACT_CHECKERS, create_groups


def forwards(apps, schema_editor):
    create_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, FACT_CHECKERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0003_default_rating_scale"),
        ("articles", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, remove_groups)]
