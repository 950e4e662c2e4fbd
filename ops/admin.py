"""Two editors saving the same row: the second save is refused instead of silently overwriting the first."""

from __future__ import annotations

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

VERSION_FIELD = "_loaded_version"


class EditConflictMixin:
    """ModelAdmin mixin: the change form remembers when the row was last saved, and refuses to save
    over a newer version.

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
                        model._default_manager.order_by()
                        .select_for_update()
                        .filter(pk=self.instance.pk)
                        .values_list(field_name, flat=True)
                        .first()
                    )
                    if current is not None and current.isoformat() != seen:
                        when = date_format(timezone.localtime(current), "j F Y, H:i:s")
                        raise ValidationError(
                            f"Someone else saved this {model._meta.verbose_name} at {when}, after you opened it. "
                            "Your changes were not saved, so as not to overwrite theirs: open it again to see "
                            "their version, then make your change.",
                            code="edit_conflict",
                        )
                return cleaned

        return ConflictCheckingForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The hidden version travels with the form; it has no label of its own.
        return [*fieldsets, (None, {"fields": [VERSION_FIELD], "classes": ["hidden"]})]
