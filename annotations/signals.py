from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Outlet, Paragraph

from . import indexing
from .models import Annotation, Citation, Correction, Rating, Source


@receiver(pre_delete, sender=Paragraph)
def orphan_annotations_of_deleted_paragraph(sender, instance: Paragraph, **kwargs) -> None:
    # The foreign key is SET_NULL; this records why, so editors find them in the orphan list.
    orphans = Annotation.objects.filter(paragraph=instance)
    instance._orphaned_ids = list(orphans.values_list("pk", flat=True))
    orphans.update(anchor_state=Annotation.AnchorState.ORPHANED)


# Keep Article.content_changed_at current: it validates the cached article and annotation pages.
def _touch(articles) -> None:
    articles.touch()


@receiver([post_save, post_delete], sender=Annotation)
@receiver([post_save, post_delete], sender=Paragraph)
def touch_article_of_row(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    if instance.article_id:
        _touch(Article.objects.filter(pk=instance.article_id))


@receiver([post_save, post_delete], sender=Citation)
@receiver([post_save, post_delete], sender=Correction)
def touch_article_of_annotation(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    _touch(Article.objects.filter(annotations=instance.annotation_id))


@receiver(post_save, sender=Source)
def touch_articles_citing(sender, instance: Source, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    _touch(Article.objects.filter(annotations__citations__source=instance))


@receiver(post_save, sender=Rating)
def touch_articles_rated(sender, instance: Rating, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    _touch(
        Article.objects.filter(
            Q(annotations__rating=instance)
            | Q(annotations__corrections__old_rating=instance)
            | Q(annotations__corrections__new_rating=instance)
        )
    )


@receiver(post_save, sender=Author)
def touch_articles_by(sender, instance: Author, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    _touch(Article.objects.filter(author=instance))


@receiver(post_save, sender=Outlet)
def touch_articles_from(sender, instance: Outlet, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    _touch(Article.objects.filter(outlet=instance))


@receiver([post_save, post_delete], sender=TaggedItem)
def touch_tagged(sender, instance: TaggedItem, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is Article:
        _touch(Article.objects.filter(pk=instance.object_id))
    elif model is Annotation:
        _touch(Article.objects.filter(annotations=instance.object_id))
        indexing.refresh_tags(instance.object_id)
    moved_from = getattr(instance, "_owner_before_save", None)
    if moved_from and moved_from != (instance.content_type_id, instance.object_id):
        # The tag went from one object to another (taggit's admin inline allows it).
        content_type_id, object_id = moved_from
        if ContentType.objects.get_for_id(content_type_id).model_class() is Annotation:
            indexing.refresh_tags(object_id)


@receiver(pre_save, sender=TaggedItem)
def remember_tagged_owner(sender, instance: TaggedItem, raw: bool = False, **kwargs) -> None:
    instance._owner_before_save = None
    if instance.pk and not raw:
        instance._owner_before_save = (
            TaggedItem.objects.filter(pk=instance.pk).values_list("content_type_id", "object_id").first()
        )


@receiver(post_save, sender=Tag)
def touch_renamed_tag(sender, instance: Tag, created: bool, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures or restoring an archive keeps the stored timestamps
    if not created:
        _touch(Article.objects.filter(Q(tags=instance) | Q(annotations__tags=instance)))


@receiver(pre_save, sender=Paragraph)
def remember_old_text(sender, instance: Paragraph, raw: bool = False, **kwargs) -> None:
    instance._text_before_save = None
    if instance.pk and not raw:
        instance._text_before_save = (
            Paragraph.objects.filter(pk=instance.pk).values_list("text", flat=True).first()
        )


@receiver(post_save, sender=Paragraph)
def reanchor_after_text_edit(sender, instance: Paragraph, raw: bool = False, **kwargs) -> None:
    """Every save path that edits a paragraph's text (admin form, inline, shell) re-anchors its annotations."""
    old_text = getattr(instance, "_text_before_save", None)
    instance.reanchored = None
    instance.reanchored_annotations = []
    if old_text is not None and old_text != instance.text:
        instance.reanchored = Annotation.objects.reanchor(old_text, instance, instance.reanchored_annotations)


@receiver(pre_save, sender=Tag)
def give_every_tag_a_slug(sender, instance: Tag, raw: bool = False, **kwargs) -> None:
    # A name of only punctuation or symbols slugifies to nothing; tag pages need an address.
    if not raw and not instance.slug:
        digest = hashlib.sha1(instance.name.encode(), usedforsecurity=False).hexdigest()[:10]
        instance.slug = f"tag-{digest}"


# The search index (annotations/indexing.py) follows every save of what it copies. Raw saves
# are skipped: archive restore rebuilds the index when it finishes; after `loaddata`, run
# `manage.py rebuild_search_index`.


@receiver(post_save, sender=Annotation)
def index_annotation(sender, instance: Annotation, raw: bool = False, **kwargs) -> None:
    if not raw:
        indexing.refresh(annotations=[instance.pk])


@receiver(post_save, sender=Article)
def index_article(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if not raw:
        indexing.refresh(articles=[instance.pk])


@receiver(post_save, sender=Paragraph)
def index_paragraph(sender, instance: Paragraph, raw: bool = False, **kwargs) -> None:
    # After reanchor_after_text_edit (connected above), which may have moved annotations away.
    if not raw:
        moved = [annotation.pk for annotation in getattr(instance, "reanchored_annotations", [])]
        indexing.refresh(paragraphs=[instance.pk], annotations=moved)


@receiver(post_delete, sender=Paragraph)
def index_orphans(sender, instance: Paragraph, origin=None, **kwargs) -> None:
    # Only when paragraphs themselves are deleted: when their article is, its annotations go too.
    deleting = origin.model if isinstance(origin, QuerySet) else type(origin)
    if deleting is not Article:
        indexing.refresh(annotations=getattr(instance, "_orphaned_ids", []))
