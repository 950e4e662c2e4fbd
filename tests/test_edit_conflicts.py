from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from tests.admin_forms import form_data
from tests.factories import AnnotationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def annotation(db):
    return AnnotationFactory(body="Original note.")


def editor_client(name: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=name, group="Editors"))
    return client


def test_the_second_of_two_editors_gets_a_conflict_instead_of_overwriting(annotation):
    url = reverse("admin:annotations_annotation_change", args=[annotation.pk])
    first, second = editor_client("first"), editor_client("second")
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))

    first_form["body"] = "First editor's note."
    assert first.post(url, first_form).status_code == 302

    second_form["body"] = "Second editor's note."
    response = second.post(url, second_form)
    assert response.status_code == 200
    assert "This annotation was changed by first at" in response.content.decode()
    assert "after you opened it" in response.content.decode()
    assert Annotation.objects.get(pk=annotation.pk).body == "First editor's note."

    # Opening it again shows the new version, and saving from there works.
    fresh = form_data(second.get(url))
    fresh["body"] = "Second editor's note, on top of the first."
    assert second.post(url, fresh).status_code == 302
    assert Annotation.objects.get(pk=annotation.pk).body == "Second editor's note, on top of the first."


def test_one_editor_saving_twice_in_a_row_is_not_a_conflict(annotation):
    url = reverse("admin:annotations_annotation_change", args=[annotation.pk])
    client = editor_client("solo")
    data = form_data(client.get(url))
    data["body"] = "Once."
    assert client.post(url, data).status_code == 302
    data = form_data(client.get(url))
    data["body"] = "Twice."
    assert client.post(url, data).status_code == 302
    assert Annotation.objects.get(pk=annotation.pk).body == "Twice."


def test_the_change_form_carries_the_version_it_was_opened_at(annotation):
    page = editor_client("reader-of-form").get(
        reverse("admin:annotations_annotation_change", args=[annotation.pk])
    )
    html = page.content.decode()
    assert 'type="hidden" name="seen_version"' in html
    assert annotation.modified.isoformat() in html


def test_articles_are_protected_the_same_way(article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    first, second = editor_client("first"), editor_client("second")
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))
    first_form["title"] = "Title by the first editor"
    assert first.post(url, first_form).status_code == 302
    second_form["title"] = "Title by the second editor"
    response = second.post(url, second_form)
    assert "This article was changed by first at" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Title by the first editor"


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
