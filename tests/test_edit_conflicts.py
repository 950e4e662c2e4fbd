from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from tests.admin_forms import change_data, form_data, post_change
from tests.factories import AnnotationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def annotation(db):
    return AnnotationFactory(body="Original note.")


def another_editor(name: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=name, group="Editors"))
    return client


def save_from_two_open_forms(obj, first: Client, second: Client, field: str, values: tuple[str, str]):
    """Both open the change form of ``obj``; the first saves, then the second: its response."""
    first_form, second_form = change_data(first, obj), change_data(second, obj)
    first_form[field] = values[0]
    assert post_change(first, obj, first_form).status_code == 302
    second_form[field] = values[1]
    return post_change(second, obj, second_form)


def test_the_second_of_two_editors_gets_a_conflict_instead_of_overwriting(annotation):
    second = another_editor("second")
    response = save_from_two_open_forms(
        annotation, another_editor("first"), second, "body", ("First editor's note.", "Second editor's note.")
    )
    assert response.status_code == 200
    assert "This annotation was changed by first at" in response.content.decode()
    assert "after you opened it" in response.content.decode()
    assert Annotation.objects.get(pk=annotation.pk).body == "First editor's note."

    # Opening it again shows the new version, and saving from there works.
    fresh = change_data(second, annotation, body="Second editor's note, on top of the first.")
    assert post_change(second, annotation, fresh).status_code == 302
    assert Annotation.objects.get(pk=annotation.pk).body == "Second editor's note, on top of the first."


def test_one_editor_saving_twice_in_a_row_is_not_a_conflict(annotation):
    client = another_editor("solo")
    assert post_change(client, annotation, change_data(client, annotation, body="Once.")).status_code == 302
    assert post_change(client, annotation, change_data(client, annotation, body="Twice.")).status_code == 302
    assert Annotation.objects.get(pk=annotation.pk).body == "Twice."


def test_the_change_form_carries_the_version_it_was_opened_at(annotation):
    page = another_editor("reader-of-form").get(
        reverse("admin:annotations_annotation_change", args=[annotation.pk])
    )
    html = page.content.decode()
    assert 'type="hidden" name="seen_version"' in html
    assert annotation.modified.isoformat() in html


def test_articles_are_protected_the_same_way(article):
    response = save_from_two_open_forms(
        article,
        another_editor("first"),
        another_editor("second"),
        "title",
        ("Title by the first editor", "Title by the second editor"),
    )
    assert "This article was changed by first at" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Title by the first editor"


def test_a_second_editor_saving_an_outdated_form_gets_a_conflict(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft", body="First version.")
    response = save_from_two_open_forms(
        annotation, editor_client, another_editor("second"), "body", ("Edited.", "Second editor's version.")
    )

    assert response.status_code == 200
    assert "was changed by editor at" in response.content.decode()
    assert "after you opened it" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.body == "Edited."


@pytest.mark.django_db(transaction=True)
def test_two_saves_arriving_together_are_serialised_and_the_second_is_refused():
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers itself; the row lock is a PostgreSQL matter")
    annotation = AnnotationFactory(body="Original note.", kind="note", rating=None)
    url = reverse("admin:annotations_annotation_change", args=[annotation.pk])
    clients, forms = [], []
    for name in ("left", "right"):
        client = Client()
        client.force_login(UserFactory(username=name, is_superuser=True))
        clients.append(client)
        forms.append(form_data(client.get(url)))
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def save(name: str, client: Client, data: dict) -> None:
        from django.db import connections

        data["body"] = f"Saved by {name}."
        barrier.wait()
        try:
            results[name] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(name, client, data))
        for name, client, data in zip(("left", "right"), clients, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == [200, 302]
    winner = next(name for name, status in results.items() if status == 302)
    assert Annotation.objects.get(pk=annotation.pk).body == f"Saved by {winner}."
