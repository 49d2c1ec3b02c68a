"""A fake GitHub REST API for Actions secrets: public key, and PUT of a sealed-box-encrypted value."""

from __future__ import annotations

import base64

from nacl.public import PrivateKey, SealedBox

from tests.fakes.server import App, Reply


class GitHubFake(App):
    """One repository's secrets (and its environments'), decrypted as GitHub would."""

    def __init__(self, repository: str, token: str):
        super().__init__()
        self.repository = repository
        self.token = token
        self.key = PrivateKey.generate()
        self.secrets: dict[str, str] = {}
        # Scripted trouble: after this many accepted writes, every write fails
        # with an answer no documentation promises (an HTML error page).
        self.writes_before_failing: int | None = None
        self.writes = 0
        repo = repository.replace("/", r"\/")
        self.route(
            "GET",
            rf"/repos/{repo}(?:/environments/[^/]+)?/(?:actions/)?secrets/public-key",
            self.public_key,
        )
        self.route(
            "PUT",
            rf"/repos/{repo}(?:/environments/[^/]+)?/(?:actions/)?secrets/(?P<name>[A-Z0-9_]+)",
            self.put,
        )

        # Rulesets ("Get all repository rulesets", "Get a repository ruleset"):
        # https://docs.github.com/en/rest/repos/rules — the list holds summaries,
        # the full ruleset (rules, conditions, bypass actors) comes one by one.
        self.rulesets: list[dict] = []
        self.route("GET", rf"/repos/{repo}/rulesets", self.list_rulesets)
        self.route("GET", rf"/repos/{repo}/rulesets/(?P<id>\d+)", self.get_ruleset)

    def list_rulesets(self, request, _match) -> Reply:
        if not self._ok(request):
            return Reply(401, {"message": "Bad credentials"})
        keys = ("id", "name", "target", "source_type", "source", "enforcement")
        return Reply(200, [{k: r[k] for k in keys if k in r} for r in self.rulesets])

    def get_ruleset(self, request, match) -> Reply:
        if not self._ok(request):
            return Reply(401, {"message": "Bad credentials"})
        for ruleset in self.rulesets:
            if ruleset["id"] == int(match["id"]):
                return Reply(200, ruleset)
        return Reply(404, {"message": "Not Found"})

    def _ok(self, request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    def public_key(self, request, _match) -> Reply:
        if not self._ok(request):
            return Reply(401, {"message": "Bad credentials"})
        return Reply(
            200,
            {
                "key_id": "568250167242549743",
                "key": base64.b64encode(bytes(self.key.public_key)).decode(),
            },
        )

    def put(self, request, match) -> Reply:
        if not self._ok(request):
            return Reply(401, {"message": "Bad credentials"})
        if self.writes_before_failing is not None and self.writes >= self.writes_before_failing:
            return Reply(502, raw=b"<html><h1>502 Bad Gateway</h1></html>")
        self.writes += 1
        body = request.json or {}
        if body.get("key_id") != "568250167242549743":
            return Reply(422, {"message": "Invalid key_id"})
        value = SealedBox(self.key).decrypt(base64.b64decode(body["encrypted_value"])).decode()
        created = match["name"] not in self.secrets
        self.secrets[match["name"]] = value
        return Reply(201 if created else 204, {})
