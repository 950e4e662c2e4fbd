"""Tags are django-taggit's models, which this project does not own: it hears of their changes
through taggit's signals, the one place signals carry the change path (``articles/changes.py``).

Adding, removing or clearing tags on an object creates or deletes ``TaggedItem`` rows; renaming a
tag saves a ``Tag``. Each becomes a change of the tagged object, through its QuerySet's
``record_change()`` (articles and annotations both have one).
"""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem


def record_tagged(content_type_id: int, object_ids) -> None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is not None and hasattr(model._default_manager, "record_change"):
        model._default_manager.filter(pk__in=list(object_ids)).record_change()


@receiver([post_save, post_delete], sender=TaggedItem)
def tagging_changed(sender, instance: TaggedItem, raw: bool = False, **kwargs) -> None:
    if not raw:  # a restore records its own change when it finishes
        record_tagged(instance.content_type_id, [instance.object_id])


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance: Tag, created: bool, raw: bool = False, **kwargs) -> None:
    if created or raw:
        return
    by_type: dict[int, list[int]] = {}
    for content_type_id, object_id in instance.taggit_taggeditem_items.values_list(
        "content_type_id", "object_id"
    ):
        by_type.setdefault(content_type_id, []).append(object_id)
    for content_type_id, object_ids in by_type.items():
        record_tagged(content_type_id, object_ids)


@receiver(pre_save, sender=Tag)
def give_every_tag_a_slug(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    # A name of only punctuation or symbols slugifies to nothing; tag pages need an address.
    if not raw and not instance.slug:
        digest = hashlib.sha1(instance.name.encode(), usedforsecurity=False).hexdigest()[:10]
        instance.slug = f"tag-{digest}"
