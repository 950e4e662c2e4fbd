"""Reading the sitemap as a crawler does: the index, then every section file it lists."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree import ElementTree

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def local(url: str) -> str:
    """The path and query of an absolute URL, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def section_files(client, **headers) -> list[tuple[str, bytes]]:
    """(URL, content) of every file the index at /sitemap.xml lists, each fetched with a 200."""
    index = client.get("/sitemap.xml", **headers)
    assert index.status_code == 200
    root = ElementTree.fromstring(index.content)  # noqa: S314 (our own output)
    files = []
    for url in [element.findtext(f"{NS}loc") for element in root.iter(f"{NS}sitemap")]:
        response = client.get(local(url), **headers)
        assert response.status_code == 200, url
        files.append((url, response.content))
    return files


def sitemap_text(client, **headers) -> str:
    """The index and every section file as one text, for checking what the sitemap names."""
    index = client.get("/sitemap.xml", **headers).content.decode()
    return index + "".join(content.decode() for _url, content in section_files(client, **headers))
