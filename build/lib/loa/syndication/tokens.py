"""Token rotation: Zalo's refresh tokens are single-use, so each new pair is stored at once.

Where new tokens go (``LOA_TOKEN_STORE``):
* ``github`` — the repository's (or an environment's) Actions secrets, through the
  GitHub REST API, encrypted with the repository's public key. Needs
  ``LOA_GITHUB_SECRETS_TOKEN`` (a fine-grained token with "Secrets: read and
  write"), ``GITHUB_REPOSITORY`` and optionally ``LOA_GITHUB_SECRETS_ENVIRONMENT``.
* ``file:PATH`` — a local ``NAME=value`` file (mode 600), for running by hand.
The store must prove it accepts a write *before* the refresh — the current
pair is written back to it — so a refresh token is never spent without a
place to keep its successor. If the store still fails after the refresh, the
new pair is kept in a file readable only by its owner (``LOA_TOKEN_RESCUE_DIR``,
else the system's temporary folder) and the message says where.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import tempfile
from pathlib import Path

from loa.errors import LoaError
from loa.syndication.http import AUTH, Http, PostError, api_base
from loa.syndication.secrets import MissingSecret, Secrets
from loa.units import Channel


class TokenStore:
    """Somewhere new tokens are written, by variable name."""

    description = ""

    def save(self, values: dict[str, str]) -> None:
        """Store every ``name → value``."""
        raise NotImplementedError


class FileStore(TokenStore):
    """``NAME=value`` lines in a local file readable only by its owner."""

    def __init__(self, path: str):
        """Store into the file at ``path``."""
        self.path = Path(path)
        self.description = f"tệp {self.path}"

    def save(self, values: dict[str, str]) -> None:
        """Replace or add each line, keeping the others."""
        lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        kept = [line for line in lines if line.split("=", 1)[0] not in values]
        kept += [f"{name}={value}" for name, value in values.items()]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(kept) + "\n")


class GitHubSecrets(TokenStore):
    """Actions secrets of a repository (or of one of its environments)."""

    def __init__(
        self, http: Http, secrets: Secrets, repository: str, token: str, environment: str = ""
    ):
        """Store into the repository's (or an environment's) Actions secrets."""
        self.http = http
        self.secrets = secrets
        self.repository = repository
        self.token = token
        self.environment = environment
        self.base = api_base("github", os.environ.get("GITHUB_API_URL") or "https://api.github.com")
        where = f"môi trường “{environment}” của " if environment else ""
        self.description = f"Secrets của {where}kho {repository}"

    def _path(self, tail: str) -> str:
        scope = (
            f"environments/{self.environment}/secrets" if self.environment else "actions/secrets"
        )
        return f"{self.base}/repos/{self.repository}/{scope}/{tail}"

    def _headers(self) -> dict:
        return {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }

    def save(self, values: dict[str, str]) -> None:
        """Encrypt each value with the repository's public key (libsodium sealed box) and PUT it."""
        from nacl.exceptions import CryptoError
        from nacl.public import PublicKey, SealedBox

        reply = self.http.request("GET", self._path("public-key"), headers=self._headers())
        data = reply.data if isinstance(reply.data, dict) else {}
        key_id, key = data.get("key_id"), data.get("key")
        if reply.status != 200 or not isinstance(key_id, str) or not isinstance(key, str):
            raise LoaError(
                f"không đọc được khoá công khai Secrets của {self.repository} (HTTP {reply.status}) — kiểm tra LOA_GITHUB_SECRETS_TOKEN có quyền “Secrets: read and write”."
            )
        try:
            box = SealedBox(PublicKey(base64.b64decode(key, validate=True)))
        except (binascii.Error, ValueError, CryptoError, TypeError):
            raise LoaError(
                f"khoá công khai Secrets của {self.repository} không hợp lệ — GitHub trả lời không như tài liệu."
            ) from None
        for name, value in values.items():
            encrypted = base64.b64encode(box.encrypt(value.encode("utf-8"))).decode("ascii")
            put = self.http.request(
                "PUT",
                self._path(name),
                headers=self._headers(),
                json={"encrypted_value": encrypted, "key_id": key_id},
            )
            if put.status not in (201, 204):
                raise LoaError(
                    f"không ghi được secret {name} vào {self.repository} (HTTP {put.status})."
                )


def token_store(http: Http, secrets: Secrets, environ=os.environ) -> TokenStore | None:
    """The configured store, or None when new tokens would have nowhere to go."""
    choice = (environ.get("LOA_TOKEN_STORE") or "").strip()
    if choice.startswith("file:"):
        return FileStore(choice[5:])
    if choice in ("", "github"):
        repository = environ.get("GITHUB_REPOSITORY", "")
        token = (environ.get("LOA_GITHUB_SECRETS_TOKEN") or "").strip()
        if repository and token:
            secrets.add(token)
            return GitHubSecrets(
                http, secrets, repository, token, environ.get("LOA_GITHUB_SECRETS_ENVIRONMENT", "")
            )
        if choice == "github":
            raise LoaError(
                "LOA_TOKEN_STORE=github cần GITHUB_REPOSITORY và LOA_GITHUB_SECRETS_TOKEN — đặt hai biến này (xem README)."
            )
        return None
    raise LoaError(
        f"LOA_TOKEN_STORE “{choice}” không hợp lệ — dùng “github” hoặc “file:đường/dẫn”."
    )


def rescue(values: dict[str, str], account: str, environ=os.environ) -> Path:
    """Keep a token pair the store refused in a file only its owner can read; its path."""
    folder = Path(environ.get("LOA_TOKEN_RESCUE_DIR") or Path(tempfile.gettempdir()) / "loa-tokens")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"zalo-{re.sub(r'[^A-Za-z0-9_-]', '_', account)}.env"
    FileStore(str(path)).save(values)
    return path


def refresh_zalo(account: Channel, secrets: Secrets, http: Http, environ=os.environ) -> str:
    """Exchange the refresh token for a new pair; store both before using them. Returns the store's description."""
    names = {key: account.get(key) for key in ("refresh_token_env", "app_id_env", "secret_key_env")}
    missing = [key for key, value in names.items() if not value]
    if missing:
        raise PostError(
            AUTH,
            f"Zalo OA {account.account} chưa khai báo {', '.join(missing)} trong units.yml — không tự làm mới token được; cấp token mới và lưu vào biến {account.get('token_env')}",
        )
    try:
        refresh_token = secrets.get(names["refresh_token_env"])
        app_id = secrets.get(names["app_id_env"])
        secret_key = secrets.get(names["secret_key_env"])
    except MissingSecret as exc:
        raise PostError(AUTH, f"không làm mới được token Zalo: {exc}") from None
    store = token_store(http, secrets, environ)
    if store is None:
        raise PostError(
            AUTH,
            f"token Zalo OA {account.account} hết hạn, nhưng chưa có nơi lưu token mới (Zalo chỉ cho dùng refresh token một lần) — "
            "đặt LOA_GITHUB_SECRETS_TOKEN (hoặc LOA_TOKEN_STORE=file:…) rồi chạy “loa tokens refresh zalo”",
        )
    # Prove the store takes a write before the single-use refresh token is spent:
    # the current pair goes back where it came from.
    current = {names["refresh_token_env"]: refresh_token}
    with contextlib.suppress(
        MissingSecret
    ):  # an access token that is gone is what a refresh is for
        current[account.get("token_env")] = secrets.get(account.get("token_env"))
    try:
        store.save(current)
    except Exception as exc:  # any answer but success: the refresh token stays unspent
        raise PostError(
            AUTH,
            f"chưa làm mới token Zalo OA {account.account}: không ghi được vào {store.description} "
            f"({secrets.mask(str(exc) or exc.__class__.__name__)}) — refresh token vẫn còn dùng được; sửa quyền ghi rồi chạy lại “loa tokens refresh zalo”",
        ) from None
    base = api_base("zalo_oauth", "https://oauth.zaloapp.com")
    reply = http.request(
        "POST",
        f"{base}/v4/oa/access_token",
        headers={"secret_key": secret_key},
        data={"refresh_token": refresh_token, "app_id": app_id, "grant_type": "refresh_token"},
    )
    data = reply.data if isinstance(reply.data, dict) else {}
    access, new_refresh = str(data.get("access_token") or ""), str(data.get("refresh_token") or "")
    if reply.status != 200 or not access or not new_refresh:
        reason = secrets.mask(
            str(
                data.get("error_description")
                or data.get("message")
                or data.get("error_name")
                or data.get("error")
                or reply.status
            )
        )
        raise PostError(
            AUTH,
            f"Zalo không cấp token mới cho OA {account.account} ({reason}) — cấp quyền lại cho ứng dụng trên OA, lưu refresh token mới vào biến {names['refresh_token_env']}",
        )
    secrets.set(account.get("token_env"), access)
    secrets.set(names["refresh_token_env"], new_refresh)
    pair = {account.get("token_env"): access, names["refresh_token_env"]: new_refresh}
    try:
        store.save(pair)
    except Exception as exc:  # the new pair must survive whatever the store answered
        reason = secrets.mask(str(exc) or exc.__class__.__name__)
        try:
            kept = rescue(pair, account.account, environ)
        except OSError as rescue_error:
            raise LoaError(
                f"Zalo đã cấp cặp token mới cho OA {account.account} nhưng không lưu được vào {store.description} ({reason}), "
                f"cũng không ghi được tệp dự phòng ({rescue_error.__class__.__name__}) — cấp quyền lại cho OA và lưu refresh token mới vào biến {names['refresh_token_env']}."
            ) from None
        raise LoaError(
            f"Zalo đã cấp cặp token mới cho OA {account.account} nhưng không lưu được vào {store.description} ({reason}) — "
            f"cặp token mới được giữ trong tệp {kept} (chỉ chủ tệp đọc được): chép hai giá trị trong đó vào "
            f"{account.get('token_env')} và {names['refresh_token_env']}, rồi xoá tệp."
        ) from None
    return store.description


def expires_in(value) -> int:
    """Zalo's ``expires_in``, which may arrive as a string."""
    match = re.match(r"\d+", str(value or ""))
    return int(match.group()) if match else 0
