"""The admin as tests drive it: change forms as a browser would post them back, and the pages they need."""

from __future__ import annotations

from django.urls import reverse


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


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def change_data(client, obj, **typed) -> dict:
    """The change form of ``obj`` as ``client`` opened it, with ``typed`` typed in."""
    data = form_data(client.get(change_url(obj)))
    data.update(typed)
    return data


def post_change(client, obj, data: dict, **kwargs):
    return client.post(change_url(obj), data, **kwargs)


def annotate_url(article) -> str:
    return reverse("admin:articles_article_annotate", args=[article.pk])
