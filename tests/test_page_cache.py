from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from articles.models import Article
from config import pagecache
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def anon():
    return Client()


@pytest.fixture
def published(db):
    article = ArticleFactory(title="Harbour levy")
    ParagraphFactory(article=article, position=1)
    return article


def test_a_second_anonymous_visit_is_served_from_the_cache(anon, published):
    first = anon.get(published.get_absolute_url())
    second = anon.get(published.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_cached_pages_keep_their_security_headers(anon, published):
    anon.get(published.get_absolute_url())
    hit = anon.get(published.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert "default-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["X-Content-Type-Options"] == "nosniff"


def test_logged_in_users_are_never_served_or_stored(editor_client, anon, published):
    assert "X-Page-Cache" not in editor_client.get(published.get_absolute_url())
    assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_staff_preview_is_never_replayed_to_readers(editor_client, anon):
    draft = ArticleFactory(title="Unreleased draft", status=Article.Status.DRAFT)
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    assert anon.get(draft.get_absolute_url()).status_code == 404


def test_withdrawing_an_article_in_the_admin_hides_it_from_the_next_reader(anon, editor_client, published):
    assert anon.get(published.get_absolute_url()).status_code == 200
    assert anon.get(reverse("home")).content.count(b"Harbour levy") == 1
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "withdraw", "_selected_action": [published.pk]},
    )
    assert response.status_code == 302
    assert anon.get(published.get_absolute_url()).status_code == 404
    assert b"Harbour levy" not in anon.get(reverse("home")).content


def test_publishing_shows_the_article_to_the_next_reader(anon, editor_client):
    draft = ArticleFactory(title="Fresh analysis", status=Article.Status.DRAFT)
    assert b"Fresh analysis" not in anon.get(reverse("home")).content
    editor_client.post(
        reverse("admin:articles_article_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert b"Fresh analysis" in anon.get(reverse("home")).content
    assert anon.get(draft.get_absolute_url()).status_code == 200


def retitle(article):
    article.title = "Harbour levy, revised"
    article.save()
    return "Harbour levy, revised"


def reword(article):
    paragraph = article.paragraphs.first()
    paragraph.text = "A reworded paragraph about the levy."
    paragraph.save()
    return "A reworded paragraph about the levy."


def rename_author(article):
    article.author.name = "A. Renamed"
    article.author.save()
    return "A. Renamed"


def retag(article):
    article.tags.add("newly-tagged")
    return None  # the reading view may not show tags; the cached copy must still go


@pytest.mark.parametrize("change", [retitle, reword, rename_author, retag])
def test_any_edit_invalidates_cached_pages(anon, published, change):
    anon.get(published.get_absolute_url())
    assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "hit"
    visible = change(published)
    after = anon.get(published.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    if visible:
        assert visible in after.content.decode()


def test_unpublishing_an_annotation_removes_it_from_the_cached_article(anon, editor_client, published):
    annotation = AnnotationFactory(paragraph=published.paragraphs.first(), conclusion="Levy was lower.")
    assert b"Levy was lower." in anon.get(published.get_absolute_url()).content
    editor_client.post(
        reverse("admin:annotations_annotation_changelist"),
        {"action": "unpublish", "_selected_action": [annotation.pk]},
    )
    assert Annotation.objects.get(pk=annotation.pk).status == Annotation.Status.DRAFT
    assert b"Levy was lower." not in anon.get(published.get_absolute_url()).content


def test_only_plain_public_html_responses_are_storable():
    from django.http import HttpResponse, JsonResponse

    from config.middleware import AnonymousPageCacheMiddleware

    storable = AnonymousPageCacheMiddleware.cacheable_response
    with_cookie = HttpResponse("<p>hi</p>")
    with_cookie.set_cookie("csrftoken", "x")
    private = HttpResponse("<p>hi</p>", headers={"Cache-Control": "private"})
    varies = HttpResponse("<p>hi</p>", headers={"Vary": "Accept-Language"})
    assert storable(HttpResponse("<p>hi</p>", headers={"Vary": "Cookie"}))
    assert not storable(with_cookie)
    assert not storable(private)
    assert not storable(varies)
    assert not storable(JsonResponse({"a": 1}))
    assert not storable(HttpResponse("<p>gone</p>", status=404))


def test_non_html_and_error_responses_are_not_stored(anon):
    assert "X-Page-Cache" not in anon.get("/healthz")
    assert "X-Page-Cache" not in anon.get("/articles/no-such-article/")


def test_lost_versions_never_bring_back_old_pages(anon, published):
    anon.get(published.get_absolute_url())
    caches["versions"].clear()
    assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "miss"
    assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_write_purges_its_pages_again_when_the_transaction_commits(
    anon, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        published.title = "Harbour levy, in a transaction"
        published.save()
        # A page rebuilt before the commit (from the old rows, for a reader in another transaction)...
        anon.get(published.get_absolute_url())
        assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "hit"
    for callback in callbacks:
        callback()  # ...is dropped by the commit.
    after = anon.get(published.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert "Harbour levy, in a transaction" in after.content.decode()


def test_a_page_built_while_a_write_commits_is_not_served_after_it(anon, published, monkeypatch):
    """A reader who read the old rows just before a commit stores a page that the commit's purge
    already outdates: the page keeps the counter read before its view ran."""
    from config import middleware

    url = published.get_absolute_url()
    real = middleware.AnonymousPageCacheMiddleware.cacheable_response

    def commit_during_render(response):
        pagecache.purge([f"article:{published.pk}"])  # what a commit in between would do
        return real(response)

    monkeypatch.setattr(
        middleware.AnonymousPageCacheMiddleware, "cacheable_response", staticmethod(commit_during_render)
    )
    assert anon.get(url)["X-Page-Cache"] == "miss"
    monkeypatch.undo()
    assert anon.get(url)["X-Page-Cache"] == "miss"
    assert anon.get(url)["X-Page-Cache"] == "hit"


def test_an_edit_of_one_article_keeps_the_other_articles_cached(anon, published):
    other = ArticleFactory(title="Another piece")
    ParagraphFactory(article=other, position=1)
    anon.get(published.get_absolute_url())
    anon.get(other.get_absolute_url())
    published.title = "Harbour levy, revised"
    published.save()
    assert anon.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "miss"


def test_the_cache_can_be_turned_off(anon, published, settings):
    settings.PAGE_CACHE_SECONDS = 0
    anon.get(published.get_absolute_url())
    assert "X-Page-Cache" not in anon.get(published.get_absolute_url())


def test_invalidation_works_on_redis_when_available(anon, published, settings):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "test",
    }
    settings.CACHES = {"default": backend, "versions": backend}
    caches["default"].clear()
    anon.get(published.get_absolute_url())
    assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "hit"
    published.status = Article.Status.WITHDRAWN
    published.save()
    assert anon.get(published.get_absolute_url()).status_code == 404
    caches["default"].clear()


def test_query_strings_are_separate_pages(anon, published):
    anon.get(reverse("home") + "?page=1")
    assert anon.get(reverse("home") + "?page=2")["X-Page-Cache"] == "miss"
    assert anon.get(reverse("home") + "?page=1")["X-Page-Cache"] == "hit"


def test_an_anonymous_post_is_never_cached(anon):
    Client(enforce_csrf_checks=False).post(reverse("home"))
    assert anon.get(reverse("home"))["X-Page-Cache"] == "miss"


def test_a_text_edit_that_moves_no_annotation_keeps_the_lists_cached(anon, published):
    paragraph = published.paragraphs.get()
    anon.get(reverse("home"))
    anon.get(published.get_absolute_url())
    anon.get(reverse("search"), {"q": "levy"})
    paragraph.text = paragraph.text + " A sentence added."
    paragraph.save()
    assert anon.get(reverse("home"))["X-Page-Cache"] == "hit"
    assert anon.get(published.get_absolute_url())["X-Page-Cache"] == "miss"
    assert anon.get(reverse("search"), {"q": "levy"})["X-Page-Cache"] == "miss"


def test_a_tag_page_drops_only_when_something_with_its_tag_changes(anon, published):
    published.tags.add("harbours")
    other = ArticleFactory(title="Rail freight")
    other.tags.add("railways")
    harbours, railways = reverse("tag_detail", args=["harbours"]), reverse("tag_detail", args=["railways"])
    anon.get(harbours)
    anon.get(railways)
    other.title = "Rail freight, revised"
    other.save()
    assert anon.get(harbours)["X-Page-Cache"] == "hit"
    assert anon.get(railways)["X-Page-Cache"] == "miss"
    assert "Rail freight, revised" in anon.get(railways).content.decode()
    other.tags.add("harbours")
    page = anon.get(harbours)
    assert page["X-Page-Cache"] == "miss" and "Rail freight, revised" in page.content.decode()


def test_a_request_for_a_page_being_rebuilt_waits_for_that_copy(anon, published, settings):
    import threading

    from django.test import RequestFactory

    url = published.get_absolute_url()
    key = pagecache.page_key(RequestFactory().get(url))
    anon.get(url)
    published.title = "Harbour levy, revised"
    published.save()  # the stored copy is stale now
    assert pagecache.start_building(key)  # another worker is rebuilding this page

    def finish():
        page = pagecache.Page(
            b"<p>built once</p>", {"Content-Type": "text/html"}, ("site",), pagecache.clock()
        )
        caches["default"].set(key, page, 60)
        pagecache.remember(page)
        pagecache.done_building(key)

    timer = threading.Timer(0.2, finish)
    timer.start()
    response = anon.get(url)
    timer.join()
    assert response["X-Page-Cache"] == "waited"
    assert response.content == b"<p>built once</p>"


def test_a_request_waits_no_longer_than_the_limit_then_builds_the_page(anon, published, settings):
    from django.test import RequestFactory

    settings.PAGE_CACHE_WAIT_SECONDS = 0.1
    url = published.get_absolute_url()
    anon.get(url)
    published.title = "Harbour levy, revised"
    published.save()
    assert pagecache.start_building(pagecache.page_key(RequestFactory().get(url)))  # and never finishes
    response = anon.get(url)
    assert response["X-Page-Cache"] == "miss" and "Harbour levy, revised" in response.content.decode()


def test_a_url_with_nothing_stored_is_built_without_waiting(anon, published, monkeypatch):
    from django.test import RequestFactory

    def never(key):
        raise AssertionError("waited for a page nobody will store")

    monkeypatch.setattr(pagecache, "wait_for", never)
    url = reverse("api_articles")  # JSON: never stored, so nobody would ever bring a copy
    assert pagecache.start_building(pagecache.page_key(RequestFactory().get(url)))
    assert anon.get(url).status_code == 200
