"""Who gets what, over every URL of the site: pages, feeds, sitemap, search, exports, API and admin.

URLs come from the URL resolver, reversed with every identifier of the rows below, so a page added
later is checked without touching this file.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.data import PUBLIC_WORD, SECRETS, build_world
from tests.factories import UserFactory
from tests.urlwalk import flatten, public_urls

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "checker", "editor", "superuser"]
STAFF_ROLES = ["checker", "editor", "superuser"]
# Query strings that listings, search, feeds and exports may read: a secret word must not be found through them.
ECHO_PROBE = "Qwxzvnonceword"
PROBES = ["", "?q={word}", "?tag={word}", "?tags={word}", "?format=json", "?format=csv", "?page=2"]


@pytest.fixture
def world():
    return build_world()


@pytest.fixture(params=[30, 0], ids=["page-cache-on", "page-cache-off"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = request.param
    return request.param


def client_for(role: str) -> Client:
    client = Client(raise_request_exception=True)
    if role == "anonymous":
        return client
    user = {
        "reader": lambda: UserFactory(username="reader", is_staff=False),
        "checker": lambda: UserFactory(username="checker", group="Fact-checkers"),
        "editor": lambda: UserFactory(username="editor", group="Editors"),
        "superuser": lambda: UserFactory(username="root", is_superuser=True),
    }[role]()
    client.force_login(user)
    return client


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_readers_never_see_drafts_withdrawn_articles_or_draft_annotations_anywhere(world, role, page_cache):
    # Staff first: with the page cache on, a preview they load must not be replayed to readers.
    staff = client_for("editor")
    for url in flatten(public_urls()):
        staff.get(url)
    client = client_for(role)
    urls = public_urls()
    assert len(flatten(urls)) >= 5
    # Listings (routes without parameters) are also probed with query strings, each secret word in turn.
    probed = [
        url + probe.format(word=word)
        for group in urls.values()
        if len(group) == 1
        for url in group
        for probe in PROBES
        for word in (SECRETS.values() if "{word}" in probe else [""])
    ]
    for url in [*flatten(urls), *probed]:
        response = client.get(url)
        assert response.status_code < 500, url
        text = body(response)
        for what, secret in SECRETS.items():
            # A page may echo the words it was asked for (a search box): count no more than an
            # unknown word of the same query gets.
            echoed = (
                body(client.get(url.replace(secret, ECHO_PROBE))).count(ECHO_PROBE) if secret in url else 0
            )
            assert text.count(secret) <= echoed, f"{role} sees the {what} at {url}"


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_readers_get_404_for_hidden_articles_and_annotations(world, role):
    client = client_for(role)
    for hidden in (world.draft, world.withdrawn, world.draft_note, world.note_on_draft):
        assert client.get(hidden.get_absolute_url()).status_code == 404, hidden
    response = client.get(world.published.get_absolute_url())
    assert response.status_code == 200
    assert PUBLIC_WORD in body(response)
    assert client.get(world.published_note.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_preview_drafts_withdrawn_articles_and_draft_annotations(world, role):
    client = client_for(role)
    for hidden, secret in (
        (world.draft, SECRETS["draft article"]),
        (world.withdrawn, SECRETS["withdrawn article"]),
        (world.draft_note, SECRETS["draft annotation"]),
    ):
        response = client.get(hidden.get_absolute_url())
        assert response.status_code == 200, hidden
        assert secret in body(response)
    article_page = body(client.get(world.published.get_absolute_url()))
    assert "dog sleeps" in article_page


@pytest.mark.parametrize("role", ROLES)
def test_every_public_url_answers_every_role_without_error(world, role):
    client = client_for(role)
    for url in flatten(public_urls()):
        assert client.get(url).status_code in {200, 301, 302, 404}, url


# (model, action) -> roles that may use the admin page. Reader and anonymous are sent to the login page.
ADMIN_ACCESS = {
    ("articles.article", "changelist"): {"checker", "editor", "superuser"},
    ("articles.article", "add"): {"editor", "superuser"},
    ("articles.article", "delete"): {"editor", "superuser"},
    ("annotations.annotation", "changelist"): {"checker", "editor", "superuser"},
    ("annotations.annotation", "add"): {"checker", "editor", "superuser"},
    ("annotations.annotation", "delete"): {"editor", "superuser"},
    ("annotations.rating", "add"): {"editor", "superuser"},
    ("annotations.source", "add"): {"checker", "editor", "superuser"},
    ("auth.user", "changelist"): {"superuser"},
    ("auth.group", "add"): {"superuser"},
    ("axes.accessattempt", "changelist"): {"superuser"},
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_follow_the_roles(world, role):
    client = client_for(role)
    for (label, action), allowed in ADMIN_ACCESS.items():
        app_label, model = label.split(".")
        if action == "delete":
            obj = world.published if model == "article" else world.published_note
            url = reverse(f"admin:{app_label}_{model}_delete", args=[obj.pk])
        else:
            url = reverse(f"admin:{app_label}_{model}_{action}")
        response = client.get(url)
        if role in ("anonymous", "reader"):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login"))
        elif role in allowed:
            assert response.status_code == 200, (role, url)
        else:
            assert response.status_code == 403, (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_of_every_model_answers_by_permission(world, role):
    from django.contrib.auth import get_user_model

    client = client_for(role)
    user_id = client.session.get("_auth_user_id")
    user = get_user_model().objects.get(pk=user_id) if user_id else None
    checked = 0
    listing = RequestFactory().get("/admin/")
    listing.user = user
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        # A proxy list (the orphaned annotations) is governed by its concrete model's permissions.
        perms = opts.concrete_model._meta if opts.proxy else opts
        may_view = user is not None and (
            user.has_perm(f"{perms.app_label}.view_{perms.model_name}")
            or user.has_perm(f"{perms.app_label}.change_{perms.model_name}")
        )
        objects = list(model_admin.get_queryset(listing).values_list("pk", flat=True)[:2])
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        urls += [reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]) for pk in objects]
        for url in urls:
            response = client.get(url)
            if user is None or not user.is_staff:
                assert response.status_code == 302, url
            elif may_view:
                assert response.status_code == 200, (role, url)
            else:
                assert response.status_code == 403, (role, url)
            checked += 1
    assert checked >= len(admin.site._registry)


@pytest.mark.parametrize("role", ROLES)
def test_uploaded_originals_are_only_for_staff(world, role, settings, tmp_path):
    from django.core.files.base import ContentFile

    world.published.original_file.save("original.html", ContentFile(b"<script>alert(1)</script>"))
    client = client_for(role)
    response = client.get(reverse("admin:articles_article_original", args=[world.published.pk]))
    if role in STAFF_ROLES:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/octet-stream"
    else:
        assert response.status_code in (302, 403)  # to the login page, or refused
    assert client.get(world.published.original_file.url).status_code == 404
