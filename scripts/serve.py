"""``make serve``: Pelican's development server, with the site's 404.html and gzip.

Pelican's own server (``pelican -l``) answers a path it cannot find with an empty
response and sends every file uncompressed; GitHub Pages, where the site lives,
answers 404 with ``404.html`` and compresses text with gzip when the browser
accepts it (the newsroom's bundle: ~1.5 MB instead of ~5.2 MB). This is
Pelican's handler with those two differences, and one thread per request so a
page's files load side by side as they do from a host.

    python scripts/serve.py OUTPUT_DIR [--port 8000] [--bind 127.0.0.1]

``scripts/newsroom.py`` (``make newsroom``) serves its scratch site with it too.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import sys
import threading
from socketserver import ThreadingMixIn

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

# What a web host compresses: text and text-like types. Pictures, fonts and
# Pagefind's fragments are compressed already; gzip would only cost time.
COMPRESSIBLE = {
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "image/svg+xml",
    "text/javascript",
}
# Files under this size go as they are (a compressed tiny file is no lighter).
SMALLEST = 256


def accepts_gzip(header: str | None) -> bool:
    """True when an ``Accept-Encoding`` value admits gzip (RFC 9110 §12.5.3: ``q=0`` refuses).

    ``gzip``, ``x-gzip`` or ``*`` with a weight above zero accepts; an explicit
    ``gzip;q=0`` refuses even when ``*`` is accepted.
    """
    weights: dict[str, float] = {}
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    for name in ("gzip", "x-gzip"):
        if name in weights:
            return weights[name] > 0
    return weights.get("*", 0) > 0


def compressible(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or kind in COMPRESSIBLE


class _Packed:
    """Compressed bodies, kept while the file is unchanged (the 5 MB bundle is packed once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bodies: dict[str, tuple[tuple[int, int], bytes]] = {}

    def get(self, path: str, stamp: tuple[int, int]) -> bytes:
        with self._lock:
            kept = self._bodies.get(path)
            if kept and kept[0] == stamp:
                return kept[1]
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), compresslevel=6, mtime=0)
        with self._lock:
            self._bodies[path] = (stamp, body)
        return body


class Handler(ComplexHTTPRequestHandler):
    """Pelican's handler; a path that exists in no form gets 404.html with status 404;
    text goes gzipped to a browser that accepts it."""

    packed = _Packed()

    def do_GET(self):
        if self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
            self.not_found()
            return
        super().do_GET()

    def do_HEAD(self):
        if self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
            self.not_found(body=False)
            return
        self.path = self.get_path_that_exists(self.path.split("?", 1)[0])
        super().do_HEAD()

    def send_head(self):
        """The file as ``SimpleHTTPRequestHandler`` sends it, or its gzip form when it is text
        and the request accepts gzip. Directories, redirects and errors are left to the base."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash form
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()
        content_type = self.guess_type(path)
        if not compressible(content_type):
            return super().send_head()
        status = os.stat(path)
        if status.st_size < SMALLEST or not accepts_gzip(self.headers.get("Accept-Encoding")):
            return self._plain(path, content_type, status)
        body = self.packed.get(path, (status.st_mtime_ns, status.st_size))
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(status.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def _plain(self, path: str, content_type: str, status: os.stat_result):
        """A text file as it is, saying that the answer depends on Accept-Encoding (for caches)."""
        handle = open(path, "rb")  # noqa: SIM115 — closed by the base class's copyfile caller
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(status.st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(status.st_mtime)))
        self.end_headers()
        return handle

    def not_found(self, body: bool = True) -> None:
        page = os.path.join(self.base_path, "404.html")
        try:
            with open(page, "rb") as handle:
                content = handle.read()
        except OSError:
            self.send_error(404)
            return
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)


class Server(ThreadingMixIn, RootedHTTPServer):
    """Pelican's rooted server, one thread per request (a page's files load side by side)."""

    daemon_threads = True
    allow_reuse_address = True


def make_server(path: str, bind: str, port: int, quiet: bool = False) -> Server:
    """A server for the built site at *path* (port 0: any free port, read ``server_port``)."""
    # Pelican's server keeps the root on the handler class: one class per server.
    members = {"log_message": lambda *_a: None} if quiet else {}
    return Server(os.path.abspath(path), (bind, port), type("SiteHandler", (Handler,), members))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Xem trang đã dựng trên máy.")
    parser.add_argument("path", help="thư mục trang đã dựng (output)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args(argv)
    server = make_server(args.path, args.bind, args.port)
    print(f"Đang phục vụ {args.path} tại http://{args.bind}:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
