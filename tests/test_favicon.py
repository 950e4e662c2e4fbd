"""Every page names an SVG favicon; /favicon.ico, which browsers ask for anyway, leads to it."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_pages_link_the_svg_favicon(client):
    html = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html


def test_favicon_ico_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")


def test_the_favicon_is_a_small_svg_file():
    path = finders.find("img/favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as svg:
        text = svg.read()
    assert text.lstrip().startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert len(text) < 2000
