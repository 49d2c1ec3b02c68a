"""A unit's ``listening`` settings in ``units.yml``: where members write, the promised answer time.

```yaml
listening:
  promise_hours: 8                 # the answer time the unit promises
  contacts:                        # where members write (shown on /gop-y/ and the unit's page)
    messenger: https://m.me/100000000000002
    zalo: https://zalo.me/4000000000000000002
    telegram: https://t.me/congdoan_vanphong_vd
    email: congdoan.vp@example.org
  telegram_group: "-1001000000012" # the channel's linked discussion group (comments)
  telegram_admin_chat: "-1001000000013" # the admins' private group: members' messages to the bot go there
  source: native                   # or chatwoot
  chatwoot: {url: https://hotro.example.org, account_id: 1, inbox_ids: [3], token_env: LOA_CHATWOOT_TOKEN}
```

The promise must fit inside each written-to platform's free reply window, or
the member is promised an answer the platform will not let the unit send
(spec/video-and-listening.md B1.8, B5): Messenger and Instagram 24 h
(https://developers.facebook.com/documentation/business-messaging/messenger-platform/policy/),
Zalo OA 48 h (https://zalooa.freshdesk.com/support/solutions/articles/64000261136),
Telegram 24 h — updates not fetched within 24 h are lost to a daily reader
(https://core.telegram.org/bots/api#getting-updates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loa import yamlfile
from loa.vietnamese import nfc

KEYS = ("promise_hours", "contacts", "telegram_group", "telegram_admin_chat", "source", "chatwoot")
CONTACT_KEYS = ("messenger", "instagram", "zalo", "telegram", "email")
CHATWOOT_KEYS = ("url", "account_id", "inbox_ids", "token_env")
SOURCES = ("native", "chatwoot")
# Hours of free-form reply each contact's platform allows after the member writes.
WINDOW_HOURS = {"messenger": 24, "instagram": 24, "zalo": 48, "telegram": 24}
DEFAULT_PROMISE = 24
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[a-z]{2,}$", re.IGNORECASE)
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@dataclass(frozen=True)
class Listening:
    """Where members write to a unit, what it promises, where its figures come from."""

    promise_hours: float = DEFAULT_PROMISE
    contacts: dict = field(default_factory=dict, compare=False, hash=False)
    telegram_group: str = ""
    source: str = "native"
    chatwoot: dict = field(default_factory=dict, compare=False, hash=False)
    configured: bool = False
    telegram_admin_chat: str = ""


def parse_listening(raw, where: str, error) -> Listening:
    """Check a unit's ``listening`` mapping; ``error(line, message)`` for each problem."""
    if raw is None:
        return Listening()
    if not isinstance(raw, yamlfile.LineDict):
        error(
            getattr(raw, "line", 1),
            f"{where}: “listening” không đúng dạng — viết các dòng “promise_hours: 8”, “contacts: …” thụt lề dưới mục này.",
        )
        return Listening()
    for key in raw:
        if key not in KEYS:
            error(
                raw.line_of(key),
                f"{where}, mục “listening”, có khoá “{key}” không hợp lệ (các khoá được phép: {', '.join(KEYS)}).",
            )
    promise = raw.get("promise_hours", DEFAULT_PROMISE)
    if (
        isinstance(promise, bool)
        or not isinstance(promise, (int, float))
        or not 0 < promise <= 24 * 30
    ):
        error(
            raw.line_of("promise_hours"),
            f"{where}: “promise_hours” phải là số giờ lớn hơn 0 (ví dụ 8).",
        )
        promise = DEFAULT_PROMISE
    contacts = _contacts(raw, where, error)
    for name in contacts:
        window = WINDOW_HOURS.get(name)
        if window is not None and promise > window:
            error(
                raw.line_of("promise_hours"),
                f"{where}: hẹn trả lời trong {promise:g} giờ nhưng {name} chỉ cho trả lời trong {window} giờ "
                f"kể từ tin nhắn của đoàn viên — đặt “promise_hours” tối đa {window}.",
            )
    source = raw.get("source", "native")
    if source not in SOURCES:
        error(raw.line_of("source"), f"{where}: “source” phải là một trong {', '.join(SOURCES)}.")
        source = "native"
    chatwoot = _chatwoot(raw, where, error) if source == "chatwoot" else {}
    group = raw.get("telegram_group", "")
    if group and not re.fullmatch(r"-?\d{1,20}|@[A-Za-z0-9_]{4,40}", str(group)):
        error(
            raw.line_of("telegram_group"),
            f'{where}: “telegram_group” phải là mã nhóm thảo luận (ví dụ "-1001234567890").',
        )
        group = ""
    admins = raw.get("telegram_admin_chat", "")
    if admins and not re.fullmatch(r"-\d{1,20}", str(admins)):
        error(
            raw.line_of("telegram_admin_chat"),
            f'{where}: “telegram_admin_chat” phải là mã nhóm riêng của ban chấp hành (ví dụ "-1001234567890").',
        )
        admins = ""
    return Listening(float(promise), contacts, str(group), source, chatwoot, True, str(admins))


def _contacts(raw, where, error) -> dict:
    value = raw.get("contacts") or {}
    if not isinstance(value, yamlfile.LineDict):
        if value:
            error(
                raw.line_of("contacts"),
                f"{where}: “contacts” phải liệt kê từng kênh ({', '.join(CONTACT_KEYS)}).",
            )
        return {}
    out = {}
    for key, given in value.items():
        line = value.line_of(key)
        if key not in CONTACT_KEYS:
            error(
                line,
                f"{where}, mục “contacts”, có kênh “{key}” không hợp lệ (các kênh: {', '.join(CONTACT_KEYS)}).",
            )
            continue
        text = nfc(str(given or "").strip())
        if key == "email":
            if not _EMAIL.match(text):
                error(
                    line,
                    f"{where}: địa chỉ thư “{text[:80]}” không hợp lệ — viết dạng ten@ten-mien.vn.",
                )
                continue
        elif not text.startswith("https://") or any(c in text for c in " <>\"'"):
            error(
                line,
                f"{where}: liên kết “{key}” phải là một địa chỉ https://… (ví dụ https://m.me/…).",
            )
            continue
        out[key] = text
    return out


def _chatwoot(raw, where, error) -> dict:
    value = raw.get("chatwoot")
    if not isinstance(value, yamlfile.LineDict):
        error(
            raw.line_of("source"),
            f"{where}: “source: chatwoot” cần mục “chatwoot” với {', '.join(CHATWOOT_KEYS)}.",
        )
        return {}
    out = {}
    url = str(value.get("url") or "")
    if not url.startswith("https://"):
        error(
            value.line_of("url"),
            f"{where}: “chatwoot.url” phải là địa chỉ https:// của máy chủ Chatwoot.",
        )
    out["url"] = url.rstrip("/")
    account = value.get("account_id")
    if not isinstance(account, int) or isinstance(account, bool) or account < 1:
        error(
            value.line_of("account_id"),
            f"{where}: “chatwoot.account_id” phải là số tài khoản Chatwoot (ví dụ 1).",
        )
    out["account_id"] = account
    inboxes = value.get("inbox_ids") or []
    if not isinstance(inboxes, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in inboxes
    ):
        error(
            value.line_of("inbox_ids"),
            f"{where}: “chatwoot.inbox_ids” phải là danh sách số hộp thư (ví dụ [3, 4]).",
        )
        inboxes = []
    out["inbox_ids"] = list(inboxes)
    token_env = value.get("token_env")
    if not isinstance(token_env, str) or not _ENV.match(token_env):
        error(
            value.line_of("token_env"),
            f"{where}: “chatwoot.token_env” phải là tên biến môi trường chứa token, không phải token.",
        )
    out["token_env"] = token_env
    return out


@dataclass(frozen=True)
class Topic:
    """A policy topic of the *hỏi đáp* articles (``topics`` in ``units.yml``)."""

    slug: str
    name: str


def parse_topics(raw, line: int, error) -> tuple[Topic, ...]:
    """``topics: [{slug: luong, name: Tiền lương}, …]``; each problem named by its line."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        error(line, "“topics” phải là danh sách, mỗi mục “- {slug: luong, name: Tiền lương}”.")
        return ()
    out, seen = [], set()
    for item in raw:
        where = getattr(item, "line", line)
        slug = item.get("slug") if isinstance(item, dict) else None
        name = item.get("name") if isinstance(item, dict) else None
        if (
            not isinstance(slug, str)
            or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
            or not isinstance(name, str)
            or not name.strip()
        ):
            error(
                where,
                "mỗi chủ đề hỏi đáp cần “slug” (chữ thường không dấu, gạch ngang) và “name” — ví dụ “- {slug: luong, name: Tiền lương}”.",
            )
            continue
        if slug in seen:
            error(where, f"chủ đề “{slug}” bị trùng — mỗi chủ đề một slug riêng.")
            continue
        seen.add(slug)
        out.append(Topic(slug, nfc(name.strip())))
    return tuple(out)
