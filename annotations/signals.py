from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from articles.models import Paragraph

from .models import Annotation


@receiver(pre_delete, sender=Paragraph)
def orphan_annotations_of_deleted_paragraph(sender, instance: Paragraph, **kwargs) -> None:
    # The foreign key is SET_NULL; this records why, so editors find them in the orphan list.
    Annotation.objects.filter(paragraph=instance).update(anchor_state=Annotation.AnchorState.ORPHANED)
