"""A fetched page kept as a WARC record (ISO 28500), so the archive can show what the page said
when it was imported: the request as sent and the response as received, with its date, the
address connected to, and digests of the content."""

from __future__ import annotations

from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from .fetch import Fetched

# The body is kept decompressed (it is what was imported); the headers that described the encoding
# on the wire would no longer be true of it. The original values are kept under X-Glossa-Original-*.
WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def warc_bytes(fetched: Fetched, *, user_agent: str) -> bytes:
    """One gzipped WARC file: a request record and its response record."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    common = {
        "WARC-Date": datetime_to_iso_date(fetched.fetched_at.replace(tzinfo=None)),
        "WARC-IP-Address": fetched.ip_address,
    }
    headers = []
    for name, value in fetched.headers:
        if name.lower() in WIRE_HEADERS:
            headers.append((f"X-Glossa-Original-{name}", value))
        else:
            headers.append((name, value))
    headers.append(("Content-Length", str(len(fetched.body))))
    response = writer.create_warc_record(
        fetched.final_url,
        "response",
        payload=BytesIO(fetched.body),
        length=len(fetched.body),
        warc_headers_dict=dict(common),
        http_headers=StatusAndHeaders(
            f"{fetched.status} {fetched.reason}".strip(), headers, protocol=fetched.http_version
        ),
    )
    path = fetched.final_url.split("://", 1)[-1].partition("/")
    request = writer.create_warc_record(
        fetched.final_url,
        "request",
        warc_headers_dict={
            **common,
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
        http_headers=StatusAndHeaders(
            f"GET /{path[2]} HTTP/1.1",
            [("Host", path[0]), ("User-Agent", user_agent), ("Accept-Encoding", "gzip, deflate")],
            is_http_request=True,
        ),
    )
    writer.write_record(response)
    writer.write_record(request)
    return buffer.getvalue()
