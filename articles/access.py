"""Who sees what and who may publish: each rule written once, used by models, views and the admin."""

from __future__ import annotations

from django.db import models


def sees_drafts(user) -> bool:
    """Active staff see drafts (previews); everyone else sees only what is published."""
    return user is not None and user.is_active and user.is_staff


def can_publish(user, model: type[models.Model]) -> bool:
    """Whether ``user`` may publish ``model`` rows: make them live, change them while live, take them down."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def status_choices(user, model: type[models.Model], current: str | None = None) -> list[tuple[str, str]]:
    """The workflow statuses ``user`` may choose for a ``model`` row now in ``current``.

    Someone who cannot publish gets the statuses before publication (and keeps the current one).
    """
    choices = model.Status.choices
    if can_publish(user, model):
        return list(choices)
    allowed = {model.Status.DRAFT, model.Status.REVIEW} | ({current} if current else set())
    return [choice for choice in choices if choice[0] in allowed]
