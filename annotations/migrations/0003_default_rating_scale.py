from django.db import migrations

from annotations.defaults import DEFAULT_SCALE, create_scale


def forwards(apps, schema_editor):
    create_scale(apps)


def remove_scale(apps, schema_editor):
    Rating = apps.get_model("annotations", "Rating")
    Rating.objects.filter(slug__in=[row[1] for row in DEFAULT_SCALE], annotations=None).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0002_initial")]
    operations = [migrations.RunPython(forwards, remove_scale)]
