"""Admin change forms as a browser would post them back, for tests that edit through the admin."""

from __future__ import annotations


def form_data(response) -> dict:
    """What the browser would send back: the change form's initial values, inlines included."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or hasattr(value, "storage"):  # no value, or a stored file: not re-sent
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value if not hasattr(value, "isoformat") else value.isoformat()
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if value is not None:
                    data[subform.add_prefix(name)] = value
    data["tags"] = ""
    return data
