"""``loa ledger ruleset``: is the ledger branch protected so that only the deploy can write it?

Reads the repository's rulesets through GitHub's REST API ("Get all repository
rulesets", then "Get a repository ruleset" for each:
https://docs.github.com/en/rest/repos/rules#get-all-repository-rulesets) and
says, in Vietnamese, what is missing. The model of a ruleset (``target``,
``enforcement``, ``conditions.ref_name.include/exclude``, ``rules[].type``,
``bypass_actors[].actor_type``) is GitHub's REST API description
(github/rest-api-description, ``repository-ruleset``).

What the ledger needs: an active branch ruleset covering ``refs/heads/<branch>``
that restricts updates, deletions and force pushes, and that only the deploy's
identity may bypass — a deploy key (``DeployKey``; Actions' own token cannot be
a bypass actor), or a GitHub App the deploy runs as (``Integration``).
"""

from __future__ import annotations

import fnmatch
import json
import os

import requests

from loa.errors import LoaError

NEEDED = {
    "update": "chặn cập nhật (Restrict updates): chỉ danh sách được miễn mới đẩy được commit",
    "deletion": "chặn xoá nhánh (Restrict deletions)",
    "non_fast_forward": "chặn đẩy đè (Block force pushes)",
}
DEPLOY_ACTORS = {"DeployKey", "Integration"}
MAX_BYTES = 2_000_000
TIMEOUT = (10, 30)


def _covers(ruleset: dict, ref: str, default_branch: str) -> bool:
    names = (ruleset.get("conditions") or {}).get("ref_name") or {}
    include = names.get("include") or []
    exclude = names.get("exclude") or []

    def hit(pattern) -> bool:
        if not isinstance(pattern, str):
            return False
        if pattern == "~ALL":
            return True
        if pattern == "~DEFAULT_BRANCH":
            return ref == f"refs/heads/{default_branch}"
        return fnmatch.fnmatchcase(ref, pattern)

    return any(hit(p) for p in include) and not any(hit(p) for p in exclude)


def findings(rulesets: list[dict], branch: str, default_branch: str = "main") -> list[str]:
    """What is missing for ``branch``, one Vietnamese sentence each (empty: protected as needed)."""
    ref = f"refs/heads/{branch}"
    branch_sets = [
        r for r in rulesets if isinstance(r, dict) and r.get("target", "branch") == "branch"
    ]
    covering = [r for r in branch_sets if _covers(r, ref, default_branch)]
    if not covering:
        return [
            f"Chưa có bộ quy tắc (ruleset) nào cho nhánh “{branch}” — tạo một bộ quy tắc nhánh, "
            f"mục tiêu “{ref}”, theo README (mục “Sổ ghi là bằng chứng”)."
        ]
    out = []
    active = [r for r in covering if r.get("enforcement") == "active"]
    for ruleset in covering:
        if ruleset.get("enforcement") != "active":
            out.append(
                f"Bộ quy tắc “{ruleset.get('name', '?')}” đang ở chế độ “{ruleset.get('enforcement')}”, "
                "chưa có hiệu lực — chuyển sang “Active”."
            )
    types = {
        rule.get("type") for r in active for rule in r.get("rules") or [] if isinstance(rule, dict)
    }
    out += [f"Thiếu quy tắc {text}." for name, text in NEEDED.items() if name not in types]
    updating = [
        r
        for r in active
        if any(isinstance(x, dict) and x.get("type") == "update" for x in r.get("rules") or [])
    ]
    actors = [a for r in updating for a in r.get("bypass_actors") or [] if isinstance(a, dict)]
    if updating and not any(a.get("actor_type") in DEPLOY_ACTORS for a in actors):
        out.append(
            "Chưa cho khoá triển khai (Deploy keys) vượt quy tắc — lần triển khai sẽ không ghi được sổ; "
            "thêm “Deploy keys” vào danh sách được miễn (Bypass list)."
        )
    for actor in actors:
        kind = actor.get("actor_type")
        if kind not in DEPLOY_ACTORS:
            who = {
                "RepositoryRole": "một vai trò trong kho (ví dụ Admin, Maintain)",
                "Team": "một nhóm",
                "OrganizationAdmin": "quản trị tổ chức",
            }.get(kind, f"“{kind}”")
            out.append(
                f"{who[0].upper()}{who[1:]} (mã {actor.get('actor_id')}) cũng được vượt quy tắc — "
                "bỏ khỏi danh sách được miễn: chỉ lần triển khai được ghi sổ."
            )
    return out


def _get(url: str, token: str):
    try:
        reply = requests.get(
            url,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            },
            timeout=TIMEOUT,
            stream=True,
        )
        body = reply.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise LoaError(f"Không gọi được API của GitHub ({exc.__class__.__name__}).") from None
    if reply.status_code in (401, 403, 404):
        raise LoaError(
            f"GitHub trả lời HTTP {reply.status_code} khi đọc bộ quy tắc — token cần quyền "
            "“Administration: read” trên kho (LOA_GITHUB_ADMIN_TOKEN)."
        )
    if reply.status_code != 200 or len(body) > MAX_BYTES:
        raise LoaError(f"GitHub trả lời không như tài liệu (HTTP {reply.status_code}).")
    try:
        return json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        raise LoaError("GitHub trả lời không phải JSON.") from None


def fetch_rulesets(repository: str, token: str, base: str) -> list[dict]:
    """Every ruleset that applies to ``repository`` (its own and its organisation's), in full."""
    listing = _get(f"{base}/repos/{repository}/rulesets?includes_parents=true&per_page=100", token)
    if not isinstance(listing, list):
        raise LoaError("GitHub trả lời danh sách bộ quy tắc không như tài liệu.")
    out = []
    for item in listing[:100]:
        if isinstance(item, dict) and isinstance(item.get("id"), int):
            full = _get(f"{base}/repos/{repository}/rulesets/{item['id']}", token)
            if isinstance(full, dict):
                out.append(full)
    return out


def check(branch: str) -> list[str]:
    """The findings for the repository named by ``GITHUB_REPOSITORY``, read with ``LOA_GITHUB_ADMIN_TOKEN``."""
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    token = (
        os.environ.get("LOA_GITHUB_ADMIN_TOKEN") or os.environ.get("GITHUB_TOKEN") or ""
    ).strip()
    if not repository or not token:
        raise LoaError(
            "Cần GITHUB_REPOSITORY (chủ/kho) và LOA_GITHUB_ADMIN_TOKEN (token có quyền "
            "“Administration: read”) để đọc bộ quy tắc của kho."
        )
    base = (
        os.environ.get("LOA_API_BASE_GITHUB")
        or os.environ.get("GITHUB_API_URL")
        or "https://api.github.com"
    ).rstrip("/")
    return findings(fetch_rulesets(repository, token, base), branch)
