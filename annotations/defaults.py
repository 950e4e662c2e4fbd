"""The default rating scale and the editor groups.

Used by the data migrations (with the historical app registry) and by tests and
`load_demo` (with the live one), so a flushed database can be restored to its defaults.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

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


def create_scale(apps):
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
    ("articles", "importjob"): ("view", "change", "delete"),  # jobs are added by importing
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


def create_groups(apps):
    # Permissions are normally created after migrate; make sure they exist now.
    for label in ("articles", "annotations", "taggit"):
        config = apps.get_app_config(label)
        historical = getattr(config, "models_module", None) is None  # inside a migration
        if historical:
            config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        if historical:
            config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, table in ((EDITORS, EDITOR_PERMISSIONS), (FACT_CHECKERS, FACT_CHECKER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for (app_label, model), actions in table.items():
            for action in actions:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename(action, model)
                ).first()
                # An older migration runs before later models exist; a later one adds their permissions.
                if permission is not None:
                    wanted.append(permission)
        group.permissions.set(wanted)


def ensure_defaults(apps=global_apps) -> None:
    """Create the default scale and groups if missing; safe to run any number of times."""
    create_scale(apps)
    create_groups(apps)
