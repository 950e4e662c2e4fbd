"""A small web server on loopback for the fetching tests: each path answers what the test set."""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    gzip: bool = False


def page(title: str, *paragraphs: str, author: str = "", date: str = "") -> bytes:
    meta = ""
    if author:
        meta += f'<meta name="author" content="{author}">'
    if date:
        meta += f'<meta property="article:published_time" content="{date}">'
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>{meta}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


class Server:
    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (the standard library's name)
                server.requests.append({"path": self.path, "headers": dict(self.headers)})
                answer = server.answers.get(self.path) or server.answers.get(
                    self.path.split("?", 1)[0], Answer(404, b"not here", {"Content-Type": "text/plain"})
                )
                body = gzip.compress(answer.body) if answer.gzip else answer.body
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.gzip:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes = b"", **options) -> str:
        self.answers[path] = Answer(body=body, **options)
        return self.url(path)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
