"""Tags are django-taggit's models, which this project does not own: it hears of their changes
through taggit's signals, the one place signals carry the change path (``articles/changes.py``).

Adding, removing or clearing tags on an object creates or deletes ``TaggedItem`` rows; renaming a
tag saves a ``Tag``. Each becomes a change of the tagged object, through its QuerySet's
``record_change()`` (articles and annotations both have one).
"""

from __future__ import annotations

import hashlib
from weakref import WeakKeyDictionary

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem


def record_tagged(content_type_id: int, object_ids, tag_id: int) -> None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is not None and hasattr(model._default_manager, "record_change"):
        model._default_manager.filter(pk__in=list(object_ids)).record_change(tags={tag_id})


# A tagged item saved with another owner (only the shell does that: the admin edits tags on the
# objects) moves the tag away from its old owner too. The old owner is looked up before the save
# and recorded after it, when the move is visible; the receivers keep it here, not on the instance.
_moving: WeakKeyDictionary[TaggedItem, tuple[int, int, int]] = WeakKeyDictionary()


@receiver(pre_save, sender=TaggedItem)
def tagging_moves(sender, instance: TaggedItem, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    before = (
        TaggedItem.objects.filter(pk=instance.pk)
        .values_list("content_type_id", "object_id", "tag_id")
        .first()
    )
    if before and before != (instance.content_type_id, instance.object_id, instance.tag_id):
        _moving[instance] = before


@receiver([post_save, post_delete], sender=TaggedItem)
def tagging_changed(sender, instance: TaggedItem, raw: bool = False, **kwargs) -> None:
    if raw:  # a restore records its own change when it finishes
        return
    record_tagged(instance.content_type_id, [instance.object_id], instance.tag_id)
    if (before := _moving.pop(instance, None)) is not None:
        record_tagged(before[0], [before[1]], before[2])


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
        record_tagged(content_type_id, object_ids, instance.pk)


@receiver(pre_save, sender=Tag)
def give_every_tag_a_slug(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    # A name of only punctuation or symbols slugifies to nothing; tag pages need an address.
    if not raw and not instance.slug:
        digest = hashlib.sha1(instance.name.encode(), usedforsecurity=False).hexdigest()[:10]
        instance.slug = f"tag-{digest}"
