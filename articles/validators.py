from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Only web addresses: javascript:, data:, file: and the rest are refused at input.
validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)


def is_web_url(url: str | None) -> bool:
    """Whether ``validate_web_url`` accepts ``url``: the importer keeps only such link targets."""
    if not url:
        return False
    try:
        validate_web_url(url)
    except ValidationError:
        return False
    return True


TRACKING_PARAMS = {"fbclid", "gclid", "mc_cid", "mc_eid", "yclid", "_ga", "ref_src"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments, tracking parameters and a trailing slash."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k not in TRACKING_PARAMS and not k.lower().startswith("utm_")
        ]
    )
    path = parts.path or "/"
    if path != "/" and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, query, ""))


def canonical_url(url: str) -> str:
    """The key that says two addresses are one article: ``normalise_url``, and http or https, with
    or without ``www.``, all the same."""
    try:
        url = normalise_url(url)
    except ValueError:  # a port out of range
        return ""
    if not url.lower().startswith(("http://", "https://")):
        return ""
    rest = url.split("://", 1)[1]
    return "https://" + (rest[4:] if rest.startswith("www.") else rest)
