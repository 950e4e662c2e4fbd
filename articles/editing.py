"""The rules every admin page that edits content follows, each written once.

- ``LiveContentAdminMixin``: changing what readers see is publishing. A row that is live
  (``obj.is_live()``: a published article or annotation, a source cited by one, a correction or
  citation of one, a tag used on one, the rating scale) can be changed or deleted only by someone
  who may publish; everyone else sees it read-only. The same permission decides which workflow
  statuses a user may choose and who gets the publish actions.
- ``EditConflictMixin``: the second of two editors saving the same row is refused instead of
  silently overwriting the first.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from .access import status_choices

VERSION_FIELD = "seen_version"


class LiveContentAdminMixin:
    """ModelAdmin (or inline) mixin: live rows are changed only by those who may publish.

    Put it before ``EditConflictMixin``: it limits the status choices of the final form class.

    ``publish_permission`` names the permission (``"annotations.publish_annotation"``); inlines
    judge by their parent row, which is what readers see.
    """

    publish_permission: str

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(self.publish_permission)

    def is_live(self, obj) -> bool:
        return obj.is_live()

    def _live(self, obj) -> bool:
        return obj is not None and obj.pk is not None and self.is_live(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (not self._live(obj) or self.has_publish_permission(request))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (not self._live(obj) or self.has_publish_permission(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields and hasattr(self.model, "Status"):
            current = obj.status if obj is not None else None
            form.base_fields["status"].choices = status_choices(request.user, self.model, current)
        return form

    def _set_status(self, request, queryset, status: str, verb: str) -> None:
        changed, refused = 0, []
        for obj in queryset:
            if obj.status == status:
                continue
            obj.status = status
            try:
                obj.full_clean()
            except ValidationError as error:
                refused.append(f"“{obj}”: {' '.join(error.messages)}")
                continue
            obj.save()
            changed += 1
        self.message_user(request, f"{changed} {verb}.", messages.SUCCESS)
        for problem in refused:
            self.message_user(request, f"Not {verb}: {problem}", messages.ERROR)


class EditConflictMixin:
    """ModelAdmin mixin: the change form remembers the version of the row it was opened at and
    refuses to save over a newer one.

    The check locks the row (SELECT ... FOR UPDATE inside the admin's transaction), so two saves that
    arrive together are serialised and the second one sees the first.
    """

    conflict_field: str  # an auto_now DateTimeField

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The version is a form field of our own, not a model field: keep it out of the ModelForm.
        fields = kwargs.get("fields")
        if fields is None:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != VERSION_FIELD]
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or obj.pk is None:
            return form
        field_name, model = self.conflict_field, self.model
        loaded = getattr(obj, field_name)

        class ConflictCheckingForm(form):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                self.fields[VERSION_FIELD] = forms.CharField(
                    widget=forms.HiddenInput, required=False, initial=loaded.isoformat() if loaded else ""
                )

            def clean(self):
                cleaned = super().clean()
                seen = self.data.get(VERSION_FIELD)
                if seen and self.instance.pk is not None:
                    current = (
                        # No ordering: a default one may join, and FOR UPDATE refuses outer joins.
                        model._default_manager.order_by()
                        .select_for_update()
                        .filter(pk=self.instance.pk)
                        .values_list(field_name, flat=True)
                        .first()
                    )
                    if current is not None and current.isoformat() != seen:
                        raise ValidationError(
                            conflict_message(model, self.instance.pk, current), code="edit_conflict"
                        )
                return cleaned

        return ConflictCheckingForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The hidden version travels with the form; it has no label of its own.
        return [*fieldsets, (None, {"fields": [VERSION_FIELD], "classes": ["hidden"]})]


def conflict_message(model, pk, saved_at) -> str:
    """Who saved the row after the editor opened it, and when (the admin history knows who)."""
    last = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    who = f" by {last.user.get_username()}" if last and last.user else ""
    when = date_format(timezone.localtime(saved_at), "j F Y, H:i:s")
    return (
        f"This {model._meta.verbose_name} was changed{who} at {when}, after you opened it. Your changes "
        "were not saved, so as not to overwrite theirs: reload the page, then make your changes again."
    )
