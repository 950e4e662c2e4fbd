"""Audit trail: admin history entries that say which fields changed, from what, to what.

Django's admin already writes a LogEntry (who, when, which object) for every add, change and
delete, shown on each object's "History" page. ``AuditedAdminMixin`` makes the change message
carry the old and new value of every changed field, for the main form and its inlines.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import construct_change_message

LIMIT = 300


def shown(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(str(v) for v in value)) or "(empty)"
    text = str(value)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def initial_value(form: forms.BaseForm, name: str):
    field = form.fields[name]
    value = form.initial.get(name)
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        if value in (None, ""):
            return None
        return field.queryset.filter(pk=getattr(value, "pk", value)).first()
    return value


def field_changes(form: forms.BaseForm) -> list[str]:
    """“label: old → new” for each changed field of a bound, valid form."""
    lines = []
    for name in form.changed_data:
        if name not in form.fields or name.startswith("_") or name in ("DELETE", "id"):
            continue
        label = str(form.fields[name].label or name).lower()
        new = form.cleaned_data.get(name)
        if hasattr(form.fields[name], "widget") and isinstance(form.fields[name].widget, forms.HiddenInput):
            continue
        lines.append(f"{label}: “{shown(initial_value(form, name))}” → “{shown(new)}”")
    return lines


class AuditedAdminMixin:
    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return construct_change_message(form, formsets, add)
        parts = []
        if changes := field_changes(form):
            parts.append("Changed " + "; ".join(changes) + ".")
        inline_messages = [
            entry
            for entry in construct_change_message(form, formsets, add)
            if "name" in next(iter(entry.values()))
        ]
        for formset in formsets or []:
            for inline_form in formset.initial_forms:
                if inline_form in formset.deleted_forms or not inline_form.has_changed():
                    continue
                if changes := field_changes(inline_form):
                    name = inline_form.instance._meta.verbose_name
                    parts.append(
                        f"Changed {name} “{shown(inline_form.instance)}”: " + "; ".join(changes) + "."
                    )
        inline_messages = [e for e in inline_messages if "changed" not in e]
        if inline_messages:
            parts.append(LogEntry(change_message=json.dumps(inline_messages)).get_change_message())
        return " ".join(parts) or "No fields changed."


def log_reanchoring(user, annotations, reason: str) -> None:
    """Record on each annotation's history that re-anchoring moved or orphaned it, and why."""
    if user is None:
        return
    orphaned = [a for a in annotations if a.anchor_state == "orphaned"]
    placed = [a for a in annotations if a.anchor_state != "orphaned"]
    if orphaned:
        LogEntry.objects.log_actions(
            user.pk, orphaned, CHANGE, change_message=f"Orphaned: {reason}; its quote was not found."
        )
    for annotation in placed:
        LogEntry.objects.log_actions(
            user.pk,
            [annotation],
            CHANGE,
            change_message=f"Re-anchored ({annotation.get_anchor_state_display().lower()}): {reason}; now at "
            f"characters {annotation.start}–{annotation.end}, “{shown(annotation.exact)}”.",
            single_object=True,
        )
