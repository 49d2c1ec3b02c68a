"""Sign-in through the union's OAuth service (loa.cms.oauth) against a local fake of GitHub's OAuth.

The fake speaks GitHub's web flow (https://docs.github.com/en/apps/oauth-apps/
building-oauth-apps/authorizing-oauth-apps): the authorise page sends the
browser back to the callback with a code and the state it was given (as a user
who accepts would), and the token endpoint trades the right code, client id and
secret for a token. In Chromium at 375 px the officer taps "Đăng nhập bằng
GitHub"; the popup goes through the service and the fake, Decap's handshake
("authorizing:github", then "authorization:github:success:{…}") hands the token
to the newsroom, which opens. A callback whose ``state`` is not the one given
to that browser is refused and nothing is exchanged.
"""

from __future__ import annotations

import functools
import http.cookiejar
import json
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from loa.cms import oauth

from tests.browser.conftest import _Handler, free_port
from tests.conftest import REPO, SiteMaker

pytestmark = pytest.mark.browser

CLIENT_ID, SECRET, CODE, TOKEN = "Iv1.loa-thu", "bi-mat-thu", "ma-mot-lan", "gho_loa_thu_token"


class FakeGitHub(BaseHTTPRequestHandler):
    exchanges: list

    def log_message(self, *_args):
        return

    def do_GET(self):
        parts = urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        if parts.path != "/login/oauth/authorize" or query.get("client_id") != CLIENT_ID:
            self.send_response(404)
            self.end_headers()
            return
        back = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": CODE, "state": query["state"]})
        self.send_response(302)
        self.send_header("Location", back)
        self.end_headers()

    def do_POST(self):
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        self.exchanges.append(form)
        good = (form.get("client_id"), form.get("client_secret"), form.get("code")) == (CLIENT_ID, SECRET, CODE)
        body = json.dumps(
            {"access_token": TOKEN, "token_type": "bearer", "scope": "repo"} if good else {"error": "bad_verification_code"}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start(server) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


@pytest.fixture
def world(tmp_path):
    exchanges: list = []
    github = ThreadingHTTPServer(("127.0.0.1", 0), type("G", (FakeGitHub,), {"exchanges": exchanges}))
    start(github)
    site_port, service_port = free_port(), free_port()
    site_origin, service = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{service_port}"
    settings = oauth.Settings(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        site=site_origin,
        public_url=service,
        github=f"http://127.0.0.1:{github.server_address[1]}",
    )
    provider = oauth.serve(settings, service_port, "127.0.0.1")
    start(provider)
    maker = SiteMaker(tmp_path / "site")
    shutil.rmtree(maker.content)
    shutil.copytree(REPO / "content", maker.content)
    maker.build(SITEURL=site_origin, LOA_CMS={"repo": "loa-example/loa", "oauth_url": service})
    site = ThreadingHTTPServer(("127.0.0.1", site_port), functools.partial(_Handler, directory=str(maker.output)))
    start(site)
    yield {"site": site_origin, "service": service, "exchanges": exchanges}
    for server in (github, provider, site):
        server.shutdown()
        server.server_close()


def test_an_officer_signs_in_with_github_through_the_unions_oauth_service(browser, world):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="vi-VN")
    seen: list[str] = []

    def api(route):
        request = route.request
        seen.append(request.headers.get("authorization", ""))
        path = urlsplit(request.url).path
        if request.headers.get("authorization") != f"token {TOKEN}":
            route.fulfill(status=401, json={"message": "Bad credentials"})
        elif path == "/user":
            route.fulfill(json={"login": "lehoa", "name": "Lê Hoa", "avatar_url": ""})
        elif path == "/repos/loa-example/loa":
            route.fulfill(
                json={
                    "name": "loa",
                    "full_name": "loa-example/loa",
                    "owner": {"login": "loa-example"},
                    "permissions": {"admin": False, "push": True, "pull": True},
                    "default_branch": "main",
                }
            )
        else:
            route.fulfill(status=404, json={"message": "Not Found"})

    context.route("https://api.github.com/**", api)
    page = context.new_page()
    page.goto(f"{world['site']}/quan-tri/")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Đăng nhập bằng GitHub").click()
    assert popup.value.url.startswith(world["service"]) or popup.value.url == "about:blank"
    page.get_by_text("Bộ sưu tập").first.wait_for(timeout=30_000)
    stored = page.evaluate("JSON.parse(localStorage.getItem('decap-cms-user'))")
    assert stored["token"] == TOKEN and stored["backendName"] == "github"
    assert world["exchanges"] and world["exchanges"][0]["code"] == CODE
    assert f"token {TOKEN}" in seen
    context.close()


def test_a_callback_with_another_state_is_refused_and_nothing_is_exchanged(world):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as first:
        opener.open(world["service"] + "/auth?provider=github&site_id=x")
    assert first.value.code == 302
    given = dict(urllib.parse.parse_qsl(urlsplit(first.value.headers["Location"]).query))["state"]
    assert len(given) >= 32 and any(c.name == oauth.STATE_COOKIE for c in jar)
    for state in ("khac-" + given, "", given[:-1]):
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(world["service"] + "/callback?" + urllib.parse.urlencode({"code": CODE, "state": state}))
        assert refused.value.code == 400
        assert "state sai" in refused.value.read().decode()
    # The right state from another browser (no cookie): refused too.
    with pytest.raises(urllib.error.HTTPError) as stranger:
        urllib.request.urlopen(world["service"] + "/callback?" + urllib.parse.urlencode({"code": CODE, "state": given}))
    assert stranger.value.code == 400
    assert world["exchanges"] == []
    # With its own cookie and state, the same browser gets the handshake page, posting to the site only.
    page = opener.open(world["service"] + "/callback?" + urllib.parse.urlencode({"code": CODE, "state": given}))
    text = page.read().decode()
    assert "authorization:github:success:" in text and json.dumps(world["site"]) in text
    assert len(world["exchanges"]) == 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
