from __future__ import annotations

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles.models import Paragraph

from .models import Annotation


@receiver(pre_delete, sender=Paragraph)
def orphan_annotations_of_deleted_paragraph(sender, instance: Paragraph, **kwargs) -> None:
    # The foreign key is SET_NULL; this records why, so editors find them in the orphan list.
    Annotation.objects.filter(paragraph=instance).update(anchor_state=Annotation.AnchorState.ORPHANED)


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
