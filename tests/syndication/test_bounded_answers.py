"""A hostile platform's answer is bounded: size (on the wire and decoded), time, depth and text.

A raw local server plays the platform: it can drip a body one byte at a time
(each byte inside the per-read timeout), send a gzip bomb, announce or send
more than the cap, nest JSON deeply or put lone surrogates and line
separators in strings. ``Http.request`` must answer each with a classified
``PostError`` or a safe ``Response`` — never a traceback, never unbounded memory
or time.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time

import pytest
from loa.syndication.http import AMBIGUOUS, Http, PostError, safe_text
from loa.syndication.secrets import Secrets


class RawServer:
    """Answers every connection with ``script(conn)``; records how many it served."""

    def __init__(self, script):
        self.script = script
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.served = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/x"

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                with contextlib.suppress(OSError):
                    self.script(conn, self.stop)
            self.served.set()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def head(length: int | None = None, extra: str = "") -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "Connection: close\r\n\r\n").encode()


@pytest.fixture
def serve():
    servers = []

    def start(script) -> RawServer:
        server = RawServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def client(**kw) -> Http:
    return Http(Secrets({}), timeout=(2.0, 1.0), **kw)


def test_a_slow_drip_inside_the_read_timeout_hits_the_overall_deadline(serve):
    body = json.dumps({"id": "1" * 200}).encode()

    sent = []

    def drip(conn, stop):
        conn.sendall(head(len(body)))
        for byte in body:
            if stop.is_set():
                return
            conn.sendall(bytes([byte]))
            sent.append(byte)
            time.sleep(0.05)  # each byte well inside the 1 s read timeout; 200+ bytes: > 10 s

    server = serve(drip)
    with pytest.raises(PostError) as caught:
        client(deadline=1.5).request("POST", server.url)
    assert caught.value.error_class == AMBIGUOUS, "a POST cut short may have been accepted"
    assert "thời hạn" in caught.value.message
    assert len(sent) < len(body), "the client hung up before the drip ended"


def test_a_drip_in_the_headers_hits_the_deadline_too(serve):
    sent = []

    def drip(conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(90):  # under http.client's 100 headers
            if stop.is_set():
                return
            conn.sendall(b"X-Slow: a\r\n")
            sent.append(1)
            time.sleep(0.1)
        conn.sendall(b"Content-Length: 2\r\n\r\n{}")

    server = serve(drip)
    with pytest.raises(PostError) as caught:
        client(deadline=1.5).request("GET", server.url)
    assert "thời hạn" in caught.value.message
    assert len(sent) < 90


def test_a_gzip_bomb_is_refused_at_the_cap_while_streaming(serve):
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # ~200 KB -> 200 MB
    sent = []

    def send(conn, stop):
        conn.sendall(head(len(bomb), "Content-Encoding: gzip\r\n"))
        conn.sendall(bomb)
        sent.append(len(bomb))

    server = serve(send)
    with pytest.raises(PostError) as caught:
        client(max_bytes=1024 * 1024).request("GET", server.url)
    assert "quá lớn" in caught.value.message


def test_a_body_over_the_cap_is_refused_announced_or_not(serve):
    big = b'{"data": "' + b"a" * (3 * 1024 * 1024) + b'"}'

    def announced(conn, stop):
        conn.sendall(head(len(big)))
        conn.sendall(big)

    def chunked(conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        for i in range(0, len(big), 65536):
            part = big[i : i + 65536]
            conn.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        conn.sendall(b"0\r\n\r\n")

    for script in (announced, chunked):
        server = serve(script)
        with pytest.raises(PostError) as caught:
            client(max_bytes=1024 * 1024).request("GET", server.url)
        assert "quá lớn" in caught.value.message


def test_a_small_gzip_answer_under_the_cap_is_read(serve):
    body = gzip.compress(json.dumps({"id": "123", "followers_count": 7}).encode())

    def send(conn, stop):
        conn.sendall(head(len(body), "Content-Encoding: gzip\r\n") + body)

    server = serve(send)
    reply = client().request("GET", server.url)
    assert reply.status == 200 and reply.data == {"id": "123", "followers_count": 7}


def test_deep_json_is_no_json_not_a_crash(serve):
    body = b"[" * 200000 + b"]" * 200000

    def send(conn, stop):
        conn.sendall(head(len(body)) + body)

    server = serve(send)
    reply = client().request("GET", server.url)
    assert reply.data is None


def test_strings_in_an_answer_are_made_safe_before_anyone_keeps_them(serve):
    body = json.dumps(
        {"id": "12\ud800", "name\u2028x": ["a\u2029b", "c\x00d\x1b"], "n": 5}, ensure_ascii=True
    ).encode()

    def send(conn, stop):
        conn.sendall(head(len(body)) + body)

    server = serve(send)
    reply = client().request("GET", server.url)
    assert reply.data == {"id": "12\ufffd", "name x": ["a b", "c\ufffdd\ufffd"], "n": 5}
    json.dumps(reply.data, ensure_ascii=False).encode("utf-8")  # storable as UTF-8
    assert "\u2028" not in reply.text and "\ud800" not in reply.text


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("abc", "abc"),
        ("a\ud83db", "a\ufffdb"),
        ("a\u2028b\u2029c\u0085d", "a b c d"),
        ("tab\there", "tab here"),
        ("Công đoàn 👍", "Công đoàn 👍"),
        ("e\u0301", "é"),
    ],
)
def test_safe_text(raw, safe):
    assert safe_text(raw) == safe


def test_the_caps_have_sane_defaults():
    http = Http(Secrets({}))
    assert 0 < http.max_bytes <= 16 * 1024 * 1024
    assert 0 < http.deadline <= 300
