from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
FACT_CHECKERS = "Fact-checkers"

ALL = ("add", "change", "delete", "view")

# (app_label, model): actions. Editors get everything; fact-checkers work on annotations and sources
# and read the articles they annotate.
EDITOR_PERMISSIONS = {
    ("articles", "outlet"): ALL,
    ("articles", "author"): ALL,
    ("articles", "article"): (*ALL, "publish"),
    ("articles", "paragraph"): ALL,
    ("annotations", "rating"): ALL,
    ("annotations", "source"): ALL,
    ("annotations", "annotation"): (*ALL, "publish"),
    ("annotations", "citation"): ALL,
    ("annotations", "correction"): ALL,
    ("taggit", "tag"): ALL,
}
FACT_CHECKER_PERMISSIONS = {
    ("articles", "outlet"): ("view",),
    ("articles", "author"): ("view",),
    ("articles", "article"): ("view",),
    ("articles", "paragraph"): ("view",),
    ("annotations", "rating"): ("view",),
    ("annotations", "source"): ("add", "change", "view"),
    ("annotations", "annotation"): ("add", "change", "view"),
    ("annotations", "citation"): ALL,
    ("annotations", "correction"): ("add", "view"),
    ("taggit", "tag"): ("add", "view"),
}


def codename(action: str, model: str) -> str:
    return f"{action}_{model}"


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for label in ("articles", "annotations", "taggit"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, table in ((EDITORS, EDITOR_PERMISSIONS), (FACT_CHECKERS, FACT_CHECKER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for (app_label, model), actions in table.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=codename(action, model)
                    )
                )
        group.permissions.set(wanted)


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
    operations = [migrations.RunPython(create_groups, remove_groups)]
