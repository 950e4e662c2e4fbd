from django.db import migrations

# label, slug, value, colour, description
DEFAULT_SCALE = [
    ("True", "true", 5, "#1a7f37", "The statement is accurate and nothing significant is missing."),
    (
        "Mostly true",
        "mostly-true",
        4,
        "#4d8b31",
        "The statement is accurate but needs clarification or additional information.",
    ),
    (
        "Misleading",
        "misleading",
        3,
        "#9a6700",
        "The statement contains accurate elements but leaves a false impression, "
        "through missing context, selective figures or a wrong framing.",
    ),
    (
        "Mostly false",
        "mostly-false",
        2,
        "#bc4c00",
        "The statement contains an element of truth but ignores facts that would give a different impression.",
    ),
    ("False", "false", 1, "#cf222e", "The statement is not accurate."),
    (
        "Unverifiable",
        "unverifiable",
        None,
        "#57606a",
        "The evidence available to us can neither confirm nor refute the statement; the note says what "
        "evidence would settle it.",
    ),
    (
        "Opinion",
        "opinion",
        None,
        "#6639ba",
        "A judgement, prediction or value statement, not a checkable statement of fact. "
        "It is marked so that readers can tell opinion from fact.",
    ),
]


def create_scale(apps, schema_editor):
    Rating = apps.get_model("annotations", "Rating")
    for order, (label, slug, value, colour, description) in enumerate(DEFAULT_SCALE, start=1):
        Rating.objects.get_or_create(
            slug=slug,
            defaults={
                "label": label,
                "value": value,
                "colour": colour,
                "description": description,
                "order": order,
            },
        )


def remove_scale(apps, schema_editor):
    Rating = apps.get_model("annotations", "Rating")
    Rating.objects.filter(slug__in=[row[1] for row in DEFAULT_SCALE], annotations=None).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0002_initial")]
    operations = [migrations.RunPython(create_scale, remove_scale)]
