"""``make serve``: Pelican's development server, answering a missing page with the site's 404.html.

Pelican's own server (``pelican -l``) answers a path it cannot find with an empty
response; GitHub Pages, where the site lives, answers 404 with ``404.html``. This
is Pelican's handler with that one difference.

    python scripts/serve.py OUTPUT_DIR [--port 8000] [--bind 127.0.0.1]
"""

from __future__ import annotations

import argparse
import os
import sys

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer


class Handler(ComplexHTTPRequestHandler):
    """Pelican's handler; a path that exists in no form gets 404.html with status 404."""

    def do_GET(self):
        if self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
            self.not_found()
            return
        super().do_GET()

    def do_HEAD(self):
        if self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
            self.not_found(body=False)
            return
        super().do_HEAD()

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Xem trang đã dựng trên máy.")
    parser.add_argument("path", help="thư mục trang đã dựng (output)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args(argv)
    RootedHTTPServer.allow_reuse_address = True
    server = RootedHTTPServer(os.path.abspath(args.path), (args.bind, args.port), Handler)
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
