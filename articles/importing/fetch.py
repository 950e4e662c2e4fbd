"""Fetching a page to import, safely: bounded in time and size, only public addresses.

Every hop of a redirect is resolved, checked and connected to by the address that was checked, so
a name that resolves to a public address once and to a private one the next time (DNS rebinding)
cannot reach the inside of the network. Redirects are followed here, one at a time, never by the
HTTP library. Private, loopback, link-local, reserved and multicast addresses are refused unless
``GLOSSA_FETCH_ALLOW_PRIVATE`` is on (tests serve their pages on loopback).
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils import timezone

from .base import ImportProblem
from .uploads import human_size

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
# A page that trickles in a byte at a time never trips the read timeout; this bounds the whole read.
TOTAL_TIME_FACTOR = 3


class FetchProblem(ImportProblem):
    """A page could not be fetched; the message says why, in terms an editor can act on."""


@dataclass
class Fetched:
    """One page as the server sent it (the body decompressed), and where it finally came from."""

    url: str  # as asked for
    final_url: str
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    content_type: str  # the media type only, lower case: "text/html"
    body: bytes
    fetched_at: datetime.datetime
    ip_address: str
    redirects: list[dict] = field(default_factory=list)  # each hop: url, status, location


def fetch(url: str, *, accept: tuple[str, ...] = HTML_TYPES, max_bytes: int | None = None) -> Fetched:
    """GET ``url`` and return the page, or raise ``FetchProblem`` naming what went wrong."""
    max_bytes = max_bytes or settings.GLOSSA_FETCH_MAX_BYTES
    current, hops = url.strip(), []
    for _hop in range(settings.GLOSSA_FETCH_MAX_REDIRECTS + 1):
        parts = _checked_url(current)
        ip = _public_address(parts)
        pool, response = _request(parts, ip)
        try:
            if response.status in REDIRECT_STATUSES:
                location = (response.headers.get("Location") or "").strip()
                if not location:
                    raise FetchProblem(
                        f"The server answered {response.status} (a redirect) for {current} without saying where to."
                    )
                target = urljoin(current, location)
                hops.append({"url": current, "status": response.status, "location": target})
                if target == current or target in {hop["url"] for hop in hops}:
                    raise FetchProblem(f"The page redirects in a loop ({current} → {target}).")
                current = target
                continue
            if not 200 <= response.status < 300:
                reason = f" {response.reason}" if response.reason else ""
                raise FetchProblem(f"The server answered {response.status}{reason} for {current}.")
            content_type = _media_type(response.headers.get("Content-Type", ""))
            if content_type not in accept:
                wanted = "a web page (HTML)" if accept == HTML_TYPES else "a feed (RSS or Atom)"
                found = content_type or "no content type"
                raise FetchProblem(f"The address gives {found}, not {wanted}: {current}")
            body = _read(response, max_bytes)
            return Fetched(
                url=url,
                final_url=current,
                status=response.status,
                reason=response.reason or "",
                http_version="HTTP/1.0" if response.version == 10 else "HTTP/1.1",
                headers=list(response.headers.items()),
                content_type=content_type,
                body=body,
                fetched_at=timezone.now(),
                ip_address=ip,
                redirects=hops,
            )
        finally:
            response.release_conn()
            pool.close()
    raise FetchProblem(
        f"The page redirects more than {settings.GLOSSA_FETCH_MAX_REDIRECTS} times (last to {current})."
    )


def _checked_url(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        raise FetchProblem(f"This is not a valid web address: {url}") from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise FetchProblem(f"Only http:// and https:// addresses can be imported, not {url}")
    if parts.username is not None or parts.password is not None:
        raise FetchProblem(f"Addresses with a user name or password are not fetched: {url}")
    return parts


def _public_address(parts: SplitResult) -> str:
    """The address to connect to: resolved once, every address the name has checked."""
    host = parts.hostname
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = error.strerror if isinstance(error, socket.gaierror) else str(error)
        raise FetchProblem(f"The host {host} could not be found ({reason}).") from None
    addresses = [info[4][0] for info in infos]
    if not settings.GLOSSA_FETCH_ALLOW_PRIVATE:
        for address in addresses:
            if not is_public(address):
                raise FetchProblem(
                    f"The host {host} is at a private or reserved address ({address}); "
                    "only public web pages are fetched."
                )
    return addresses[0]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def _request(parts: SplitResult, ip: str):
    timeout = urllib3.Timeout(connect=settings.GLOSSA_FETCH_TIMEOUT, read=settings.GLOSSA_FETCH_TIMEOUT)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    options = {"port": port, "timeout": timeout, "retries": False, "maxsize": 1}
    if parts.scheme.lower() == "https":
        # Connected by address, verified by name: the certificate must be the host's.
        pool = urllib3.HTTPSConnectionPool(
            ip,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(ip, **options)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Host": parts.netloc,
        "User-Agent": settings.GLOSSA_FETCH_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        response = pool.urlopen(
            "GET",
            target,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
            assert_same_host=False,
        )
    except urllib3.exceptions.NewConnectionError as error:  # before its parent, ConnectTimeoutError
        pool.close()
        raise FetchProblem(f"The host {parts.hostname} could not be reached ({_reason(error)}).") from None
    except urllib3.exceptions.ConnectTimeoutError:
        pool.close()
        raise FetchProblem(
            f"The host {parts.hostname} did not answer within {settings.GLOSSA_FETCH_TIMEOUT} seconds."
        ) from None
    except urllib3.exceptions.ReadTimeoutError:
        pool.close()
        raise FetchProblem(
            f"The host {parts.hostname} stopped answering for {settings.GLOSSA_FETCH_TIMEOUT} seconds."
        ) from None
    except urllib3.exceptions.SSLError as error:
        pool.close()
        raise FetchProblem(f"The secure connection to {parts.hostname} failed ({_reason(error)}).") from None
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise FetchProblem(f"The host {parts.hostname} could not be reached ({_reason(error)}).") from None
    return pool, response


def _read(response, max_bytes: int) -> bytes:
    """The body, decompressed, refused as soon as it passes ``max_bytes`` (compressed bombs too)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and not response.headers.get("Content-Encoding") and int(declared) > max_bytes:
        raise FetchProblem(_too_big(int(declared), max_bytes))
    deadline = time.monotonic() + settings.GLOSSA_FETCH_TIMEOUT * TOTAL_TIME_FACTOR
    chunks, total = [], 0
    try:
        for chunk in response.stream(CHUNK, decode_content=True):
            total += len(chunk)
            if total > max_bytes:
                raise FetchProblem(_too_big(None, max_bytes))
            if time.monotonic() > deadline:
                raise FetchProblem(
                    f"The page took more than {settings.GLOSSA_FETCH_TIMEOUT * TOTAL_TIME_FACTOR} seconds to arrive."
                )
            chunks.append(chunk)
    except urllib3.exceptions.DecodeError:
        raise FetchProblem("The page's compressed content is damaged.") from None
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchProblem(
            f"The server stopped sending for {settings.GLOSSA_FETCH_TIMEOUT} seconds."
        ) from None
    except urllib3.exceptions.HTTPError as error:
        raise FetchProblem(f"The page could not be read to its end ({_reason(error)}).") from None
    return b"".join(chunks)


def _too_big(size: int | None, limit: int) -> str:
    if size is None:
        return f"The page is over the {human_size(limit)} limit for imports (counted after decompression)."
    return f"The page is {human_size(size)}, over the {human_size(limit)} limit for imports."


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    text = str(reason)
    # urllib3 wraps the OS error with the pool's repr; the last part is what the editor needs.
    text = text.rsplit(": ", 1)[-1].strip()
    if text.startswith("[Errno") and "] " in text:
        text = text.split("] ", 1)[1]
    return text or type(error).__name__
