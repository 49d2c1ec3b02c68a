r"""Sign-in with GitHub for the newsroom: a small OAuth service a union runs with one command.

    LOA_OAUTH_CLIENT_ID=… LOA_OAUTH_CLIENT_SECRET=… LOA_OAUTH_SITE=https://tin.example.vn \\
    LOA_OAUTH_URL=https://dang-nhap.example.vn python -m loa.cms.oauth --port 8787

It speaks Decap CMS's "external OAuth client" protocol
(https://decapcms.org/docs/external-oauth-clients/; decap-cms-lib-auth's
netlify-auth.js): Decap opens ``{base_url}/auth?provider=github`` in a popup;
this service sends the browser to GitHub's authorise page with a fresh
``state`` it also keeps in a cookie of the popup; GitHub sends the browser back
to ``/callback?code&state``; a ``state`` that is not the cookie's is refused
(nothing is exchanged); else the code is exchanged for a token
(https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps)
and the popup hands it to the newsroom's window — and to no other origin —
with Decap's handshake: it says ``authorizing:github``, Decap answers the same
words, and the popup posts ``authorization:github:success:{"token": …}``.

The secret comes only from the environment and is sent only to GitHub; the
token only to the site's origin. Nothing is stored.
"""

from __future__ import annotations

import argparse
import contextlib
import hmac
import html
import json
import os
import secrets
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE_COOKIE = "loa_oauth_state"
MAX_ANSWER = 64 * 1024  # GitHub's token answer is a few hundred bytes
TIMEOUT = 15


@dataclass(frozen=True)
class Settings:
    """What the service needs: the OAuth App's id and secret, the site's and its own addresses."""

    client_id: str
    client_secret: str
    site: str  # the newsroom's origin, the only one the token is posted to
    public_url: str  # this service's own address (GitHub's callback is public_url + /callback)
    github: str = "https://github.com"
    scope: str = "repo"

    @classmethod
    def from_environment(cls, environ=os.environ) -> Settings:
        """Read ``LOA_OAUTH_*``; a missing one is one Vietnamese sentence naming it."""
        missing = [
            name
            for name in ("LOA_OAUTH_CLIENT_ID", "LOA_OAUTH_CLIENT_SECRET", "LOA_OAUTH_SITE", "LOA_OAUTH_URL")
            if not environ.get(name)
        ]
        if missing:
            raise SystemExit(
                f"Thiếu biến môi trường {', '.join(missing)}: đặt chúng (mã và khoá bí mật của "
                "OAuth App trên GitHub, địa chỉ trang, địa chỉ của dịch vụ này) rồi chạy lại."
            )
        return cls(
            client_id=environ["LOA_OAUTH_CLIENT_ID"],
            client_secret=environ["LOA_OAUTH_CLIENT_SECRET"],
            site=environ["LOA_OAUTH_SITE"].rstrip("/"),
            public_url=environ["LOA_OAUTH_URL"].rstrip("/"),
            github=environ.get("LOA_OAUTH_GITHUB", "https://github.com").rstrip("/"),
            scope=environ.get("LOA_OAUTH_SCOPE", "repo"),
        )


def exchange(settings: Settings, code: str) -> str:
    """GitHub's access token for ``code`` (its JSON answer, bounded); raises ValueError when refused."""
    body = urllib.parse.urlencode(
        {
            "client_id": settings.client_id,
            "client_secret": settings.client_secret,
            "code": code,
            "redirect_uri": settings.public_url + "/callback",
        }
    ).encode()
    request = urllib.request.Request(
        settings.github + "/login/oauth/access_token",
        data=body,
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        data = answer.read(MAX_ANSWER + 1)
    if len(data) > MAX_ANSWER:
        raise ValueError("câu trả lời của GitHub quá dài")
    try:
        token = json.loads(data).get("access_token")
    except (ValueError, AttributeError):
        token = None
    if not isinstance(token, str) or not token:
        raise ValueError("GitHub không cấp mã truy cập")
    return token


def handshake_page(settings: Settings, message: str) -> bytes:
    """The popup's page: Decap's handshake, with ``message`` posted to the site's origin only."""
    literal = json.dumps(message).replace("<", "\\u003c")
    site = json.dumps(settings.site).replace("<", "\\u003c")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>Đăng nhập</title></head><body><p>Đang đăng nhập vào phòng biên tập…</p>
<script>
(function () {{
  var site = {site}, message = {literal};
  function answer(event) {{
    if (event.origin !== site || event.data !== "authorizing:github") return;
    window.removeEventListener("message", answer);
    event.source.postMessage(message, site);
  }}
  window.addEventListener("message", answer);
  if (window.opener) window.opener.postMessage("authorizing:github", site);
}})();
</script></body></html>""".encode()


class Handler(BaseHTTPRequestHandler):
    """``/auth`` (to GitHub, with a fresh state) and ``/callback`` (the state checked, the code exchanged)."""

    settings: Settings

    def log_message(self, *_args):
        """Nothing: no code, state or token in any log."""
        return

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, status: int, sentence: str) -> None:
        self._send(status, f'<!DOCTYPE html><html lang="vi"><meta charset="utf-8"><p>{html.escape(sentence)}</p>'.encode())

    def do_GET(self):
        """Route ``/auth`` and ``/callback``; anything else is a 404 with a sentence."""
        parts = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(parts.query)
        if parts.path.rstrip("/") == "/auth":
            self._authorise(query)
        elif parts.path.rstrip("/") == "/callback":
            self._callback(query)
        else:
            self._refuse(404, "Không có trang này: phòng biên tập mở /auth khi bạn bấm “Đăng nhập bằng GitHub”.")

    def _authorise(self, query) -> None:
        if query.get("provider", ["github"])[0] != "github":
            self._refuse(400, "Dịch vụ này chỉ đăng nhập bằng GitHub.")
            return
        state = secrets.token_urlsafe(32)
        target = self.settings.github + "/login/oauth/authorize?" + urllib.parse.urlencode(
            {
                "client_id": self.settings.client_id,
                "redirect_uri": self.settings.public_url + "/callback",
                "scope": self.settings.scope,
                "state": state,
            }
        )
        secure = "; Secure" if self.settings.public_url.startswith("https://") else ""
        cookie = f"{STATE_COOKIE}={state}; Max-Age=600; Path=/callback; HttpOnly; SameSite=Lax{secure}"
        self._send(302, b"", {"Location": target, "Set-Cookie": cookie})

    def _callback(self, query) -> None:
        given = query.get("state", [""])[0]
        kept = _cookie(self.headers.get("Cookie", ""), STATE_COOKIE)
        if not given or not kept or not hmac.compare_digest(given.encode(), kept.encode()):
            self._refuse(
                400,
                "Phiên đăng nhập không khớp (state sai hoặc đã hết hạn): đóng cửa sổ này và bấm "
                "“Đăng nhập bằng GitHub” lại trong phòng biên tập.",
            )
            return
        clear = {"Set-Cookie": f"{STATE_COOKIE}=; Max-Age=0; Path=/callback; HttpOnly; SameSite=Lax"}
        code = query.get("code", [""])[0]
        try:
            if not code:
                raise ValueError(query.get("error", ["GitHub không gửi mã"])[0])
            token = exchange(self.settings, code)
        except (ValueError, OSError) as problem:
            reason = json.dumps({"message": f"Đăng nhập không thành: {problem}. Hãy thử lại."}, ensure_ascii=False)
            self._send(200, handshake_page(self.settings, "authorization:github:error:" + reason), clear)
            return
        payload = json.dumps({"token": token, "provider": "github"})
        self._send(200, handshake_page(self.settings, "authorization:github:success:" + payload), clear)


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def serve(settings: Settings, port: int, bind: str) -> ThreadingHTTPServer:
    """The service, listening (call ``serve_forever`` on it)."""
    handler = type("LoaOAuthHandler", (Handler,), {"settings": settings})
    return ThreadingHTTPServer((bind, port), handler)


def main(argv=None) -> int:
    """``python -m loa.cms.oauth``: read the environment, listen, serve until stopped."""
    parser = argparse.ArgumentParser(
        prog="python -m loa.cms.oauth",
        description="Dịch vụ đăng nhập bằng GitHub cho phòng biên tập (giao thức OAuth ngoài của Decap CMS).",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8787")))
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1"))
    args = parser.parse_args(argv)
    settings = Settings.from_environment()
    server = serve(settings, args.port, args.bind)
    sys.stdout.write(f"Dịch vụ đăng nhập: {settings.public_url}/auth (lắng nghe {args.bind}:{args.port})\n")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
