"""A small threaded HTTP server on 127.0.0.1 for the platform fakes.

Each fake is an ``App`` with routes; the server records every request and can be
told to fail the next matching requests (status, body, headers, a delay that
outlasts the client's timeout, a body that is not JSON).

A fake with a ``contract`` (``tests/fakes/contract.py``, the platform's specification
extract) has every request checked before it sees it: a request the specification
would refuse gets the platform's own error (``App.refuse``), and every check is recorded.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.fakes.contract import RECORD, Check, Contract


@dataclass
class Request:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    json: dict | None = None
    form: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # multipart: name -> (filename, bytes, content type)
    time: float = field(default_factory=time.time)

    def param(self, name: str, default=None):
        """A parameter from the JSON body, the form or the query string."""
        if self.json and name in self.json:
            return self.json[name]
        if name in self.form:
            return self.form[name]
        if name in self.query:
            return self.query[name]
        return default


@dataclass
class Reply:
    """What the fake answers."""

    status: int = 200
    body: object = None
    headers: dict = field(default_factory=dict)
    raw: bytes | None = None  # sent as is (malformed JSON, HTML error pages)
    delay: float = 0.0  # at most this long: a stopped server answers at once
    # A hostile platform: the real answer, changed (``mutate(real) -> Reply``) ...
    mutate: Callable | None = None
    # ... and sent ``drip`` bytes a second (every byte inside the client's read timeout)
    drip: float = 0.0


@dataclass
class Fault:
    """A scripted answer for the next ``times`` requests whose path matches ``match``."""

    reply: Reply
    match: str = ""
    times: int = 1
    skip: int = 0  # matching requests let through first (fail the third upload, not the first)


class App:
    """Routes of one platform: ``(method, regex) -> handler(request, match) -> Reply``."""

    contract: Contract | None = None  # the platform's specification extract, when it has one

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, Callable]] = []
        self.lock = threading.RLock()
        self.counts: dict[str, dict[str, int]] = {}

    def check(self, request: Request) -> Check | None:
        """The request checked against the specification extract (None: no contract)."""
        return self.contract.check(request) if self.contract is not None else None

    def refuse(self, check: Check) -> Reply:
        """The platform's answer to a request its specification refuses (each fake says it its way)."""
        return Reply(400, {"error": "invalid request", "problems": check.problems})

    def engagement(self, post_id: str) -> dict[str, int]:
        """What a post earned: set by a test in ``counts``, else stable numbers derived from its id.

        Keys: likes, comments, shares, quotes, views — each fake names them as
        its platform does.
        """
        if post_id not in self.counts:
            n = sum(ord(c) * (i + 1) for i, c in enumerate(post_id)) % 97 + 1
            self.counts[post_id] = {
                "likes": n * 3,
                "comments": n,
                "shares": n % 7,
                "quotes": n % 3,
                "views": n * 41,
            }
        return self.counts[post_id]

    def route(self, method: str, pattern: str, handler: Callable) -> None:
        """Add a route."""
        self.routes.append((method, re.compile(pattern), handler))

    def handle(self, request: Request) -> Reply:
        """Dispatch to the first matching route."""
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if match and (method in (request.method, "*")):
                with self.lock:
                    return handler(request, match)
        return Reply(404, {"error": "not found", "path": request.path})


def _multipart(ctype: str, body: bytes) -> tuple[dict, dict]:
    """Fields and files of a multipart/form-data body (as a platform would read them)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body
    )
    form, files = {}, {}
    if not message.is_multipart():
        return form, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = (part.get_filename(), payload, part.get_content_type())
        else:
            form[name] = payload.decode("utf-8", "replace")
    return form, files


class FakeServer:
    """Serves one or more apps on 127.0.0.1 (a random free port); records requests."""

    def __init__(self, app: App):
        self.app = app
        self.requests: list[Request] = []
        self.checks: list[Check] = []  # one per request to a fake with a contract
        self.faults: list[Fault] = []
        self.delay = 0.0  # seconds added to every answer (to make runs overlap)
        self._lock = threading.Lock()
        # Set by ``stop``: a delayed answer ends there, so a long delay (one that
        # must outlast the client's timeout, however slow the machine) costs nothing.
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                ctype = self.headers.get("Content-Type", "")
                data, form = None, {}
                if "json" in ctype:
                    try:
                        data = json.loads(body or b"null")
                    except ValueError:
                        data = None
                elif "x-www-form-urlencoded" in ctype:
                    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
                files = {}
                if "multipart/form-data" in ctype:
                    form, files = _multipart(ctype, body)
                request = Request(
                    self.command,
                    parts.path,
                    query,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    data,
                    form,
                    files,
                )
                check = server.app.check(request)
                if check is not None:
                    RECORD.add(check)
                refused = check is not None and not check.ok
                reply = server._fault_for(request) or (
                    server.app.refuse(check) if refused else server.app.handle(request)
                )
                if reply.mutate is not None:
                    reply = reply.mutate(
                        server.app.refuse(check) if refused else server.app.handle(request)
                    )
                with server._lock:
                    server.requests.append(request)
                    if check is not None:
                        server.checks.append(check)
                if reply.delay or server.delay:
                    server._stopping.wait(reply.delay or server.delay)
                payload = (
                    reply.raw
                    if reply.raw is not None
                    else json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
                )
                if reply.status in (204, 304):
                    payload = b""  # these answers have no body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in reply.headers.items():
                        self.send_header(key, str(value))
                    self.end_headers()
                    if reply.drip:
                        for byte in payload:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            if server._stopping.wait(1 / reply.drip):
                                break
                    else:
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> FakeServer:
        """Start serving in a thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, reply: Reply, match: str = "", times: int = 1, skip: int = 0) -> None:
        """Answer ``times`` requests whose path contains ``match`` with ``reply``, after ``skip`` of them."""
        with self._lock:
            self.faults.append(Fault(reply, match, times, skip))

    def _fault_for(self, request: Request) -> Reply | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.match in request.path:
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.times -= 1
                    return fault.reply
        return None

    def calls(self, contains: str = "", method: str | None = None) -> list[Request]:
        """Recorded requests whose path contains ``contains``."""
        with self._lock:
            return [
                r
                for r in self.requests
                if contains in r.path and (method is None or r.method == method)
            ]

    def clear(self) -> None:
        """Forget recorded requests and unused faults."""
        with self._lock:
            self.requests.clear()
            self.checks.clear()
            self.faults.clear()
