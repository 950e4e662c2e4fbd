"""The OpenAPI 3 description of the read-only API, served at /api/schema/."""

from __future__ import annotations

from django.conf import settings

from .exports.records import COLUMNS


def _param(name: str, description: str, schema: dict, repeat: bool = False) -> dict:
    param = {"name": name, "in": "query", "required": False, "description": description}
    if repeat:
        param.update(schema={"type": "array", "items": schema}, style="form", explode=True)
    else:
        param["schema"] = schema
    return param


SEARCH_PARAMETERS = [
    _param(
        "q",
        'Full text: words (all required), "a phrase", -excluded, or. At most 200 characters.',
        {"type": "string"},
    ),
    _param("tag", "Tag slug; repeat for several.", {"type": "string"}, repeat=True),
    _param("match", "With several tags: all (default) or any.", {"type": "string", "enum": ["all", "any"]}),
    _param("rating", "Rating slug; repeat for any of several.", {"type": "string"}, repeat=True),
    _param("outlet", "Outlet slug.", {"type": "string"}),
    _param("author", "Author slug.", {"type": "string"}),
    _param("language", "ISO 639-1 language code of the article.", {"type": "string"}),
    _param("kind", "Annotation kind.", {"type": "string", "enum": ["claim", "source", "note"]}),
    _param("from", "Published on or after (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    _param("to", "Published on or before (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    _param(
        "sort",
        "relevance (default with q), newest (default), oldest.",
        {"type": "string", "enum": ["relevance", "newest", "oldest"]},
    ),
]
PAGE_PARAMETERS = [
    _param("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
    _param(
        "per_page",
        "Results per page (default 20, at most 100).",
        {"type": "integer", "minimum": 1, "maximum": 100},
    ),
]
CURSOR_PARAMETER = _param(
    "cursor",
    "Cursor pagination instead of page: empty for the first results, then the cursor in next. Not with page.",
    {"type": "string"},
)
LOOKUP_PARAMETERS = [
    _param("q", "Look-up by name or title; near spellings match (trigram similarity).", {"type": "string"})
]

ERRORS = {
    "400": {
        "description": "Bad input; errors names each parameter and what is wrong with it.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    },
}


def _record(columns: list[str], extra: dict | None = None) -> dict:
    return {"type": "object", "properties": {name: {} for name in columns} | (extra or {})}


def _list(summary: str, item: str, parameters: list[dict]) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "One page of results.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "count": {
                                        "type": "integer",
                                        "description": "How many results; a lower bound when count_is_exact is false.",
                                    },
                                    "count_is_exact": {
                                        "type": "boolean",
                                        "description": (
                                            "False when more results match than a search ranks and counts at once "
                                            "(the window, docs/RESEARCH.md): narrow the search, or page with "
                                            "cursor= in date order to reach every result."
                                        ),
                                    },
                                    "page": {"type": "integer", "description": "With page pagination."},
                                    "cursor": {"type": "string", "description": "With cursor pagination."},
                                    "per_page": {"type": "integer"},
                                    "next": {"type": "string", "nullable": True},
                                    "previous": {
                                        "type": "string",
                                        "nullable": True,
                                        "description": "With page pagination (cursors only go forward).",
                                    },
                                    "results": {
                                        "type": "array",
                                        "items": {"$ref": f"#/components/schemas/{item}"},
                                    },
                                },
                            }
                        }
                    },
                },
                **ERRORS,
            },
        }
    }


def _detail(summary: str, item: str) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "200": {
                    "description": summary,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{item}"}}},
                },
                "404": {"description": "No published record has this id."},
            },
        }
    }


def openapi_document() -> dict:
    search = SEARCH_PARAMETERS + PAGE_PARAMETERS + [CURSOR_PARAMETER]
    paragraph_summary = {"type": "array", "items": _record(["id", "key", "position", "role", "text"])}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{settings.SITE_NAME} archive API",
            "version": "1",
            "description": "Read-only JSON over published articles, paragraphs and annotations. See docs/RESEARCH.md.",
        },
        "servers": [{"url": settings.SITE_URL}],
        "paths": {
            "/api/articles/": _list("Published articles with their paragraphs", "Article", search),
            "/api/articles/{id}/": _detail("One published article with its paragraphs", "Article"),
            "/api/paragraphs/": _list("Paragraphs of published articles", "Paragraph", search),
            "/api/annotations/": _list("Published annotations", "Annotation", search),
            "/api/annotations/{id}/": _detail("One published annotation", "Annotation"),
            "/api/sources/": _list(
                "Sources cited by published annotations", "Source", LOOKUP_PARAMETERS + PAGE_PARAMETERS
            ),
            "/api/tags/": _list(
                "Tags in use on published content, with counts", "Tag", LOOKUP_PARAMETERS + PAGE_PARAMETERS
            ),
            "/api/ratings/": {
                "get": {"summary": "The verdict scale", "responses": {"200": {"description": "All ratings."}}}
            },
        },
        "components": {
            "schemas": {
                "Article": _record(COLUMNS["articles"], {"paragraphs": paragraph_summary}),
                "Paragraph": _record(COLUMNS["paragraphs"]),
                "Annotation": _record(COLUMNS["annotations"]),
                "Source": _record(
                    [
                        "id",
                        "url",
                        "title",
                        "publisher",
                        "published_on",
                        "accessed_on",
                        "archived_url",
                        "kind",
                        "citations",
                    ]
                ),
                "Tag": _record(["id", "name", "slug", "articles", "annotations", "search"]),
                "Errors": {
                    "type": "object",
                    "properties": {
                        "errors": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        }
                    },
                },
            }
        },
    }
