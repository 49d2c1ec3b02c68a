"""What ``loa listen`` keeps: a salted hash per conversation or comment, its times — nothing else.

One JSON line per finding, in the ledger's ``listening-YYYY-MM.jsonl`` (the month
the member wrote, in Vietnam time)::

    {"kind":"conversation","unit":"van-phong-cuc","channel":"facebook",
     "account":"100000000000002","key":"9f2c…","received":"2026-11-03T02:00:00Z",
     "answered":"2026-11-03T02:41:00Z","post":""}

``key`` is HMAC-SHA256 of the platform's ids under the salt ``LOA_LISTEN_SALT``
(a CI secret, never in git): the same conversation gives the same key on every
run, so an answer found tomorrow completes today's line, while nobody holding
the public ledger can tell whose conversation it was. ``account`` is the
union's own public page/OA/chat id, ``post`` the public address of one of
Loa's own posts (comments only). No text, name, phone or member id is ever
a field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass

from loa import clock
from loa.errors import LoaError
from loa.ledger.shapes import json_object
from loa.masking import remember

SALT_ENV = "LOA_LISTEN_SALT"
MIN_SALT = 32
KINDS = ("conversation", "comment")
DEFAULT_RETENTION_MONTHS = 13
MAX_LINE = 2_000
_KEY = re.compile(r"[0-9a-f]{32}")
_ID = re.compile(r"[A-Za-z0-9@._:-]{1,80}")


class SaltMissing(LoaError):
    """No usable salt: nothing may be stored."""


def salt_from_env(environ=None) -> bytes:
    """The salt (``LOA_LISTEN_SALT``, at least 32 characters); it is masked in every output."""
    value = (environ if environ is not None else os.environ).get(SALT_ENV, "")
    if len(value) < MIN_SALT:
        raise SaltMissing(
            f"Thiếu biến môi trường {SALT_ENV} (một chuỗi bí mật ngẫu nhiên, ít nhất {MIN_SALT} ký tự, "
            "đặt trong Secrets của kho) — không có nó, loa listen không lưu gì."
        )
    remember(value)
    return value.encode("utf-8")


@dataclass(frozen=True)
class Hasher:
    """Turns a platform's ids into the one key the ledger keeps."""

    salt: bytes

    def key(self, channel: str, account: str, *ids: str) -> str:
        """32 hex characters; the ids never leave this call."""
        message = "\x1f".join((channel, account, *map(str, ids))).encode("utf-8")
        return hmac.new(self.salt, message, hashlib.sha256).hexdigest()[:32]


def iso(moment: dt.datetime) -> str:
    """UTC, to the second, with a Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> dt.datetime:
    """An aware time from an ISO text."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Record:
    """One conversation (a member's request) or one comment under Loa's post."""

    kind: str
    unit: str
    channel: str
    account: str
    key: str
    received: str
    answered: str = ""
    post: str = ""

    @property
    def received_at(self) -> dt.datetime:
        """When the member wrote."""
        return parse_time(self.received)

    @property
    def answered_at(self) -> dt.datetime | None:
        """When the account first answered, if it has."""
        return parse_time(self.answered) if self.answered else None

    @property
    def month(self) -> str:
        """``YYYY-MM`` of ``received`` in Vietnam time."""
        return self.received_at.astimezone(clock.TIMEZONE).strftime("%Y-%m")

    @property
    def file(self) -> str:
        """The ledger file this record lives in."""
        return f"listening-{self.month}.jsonl"

    def to_json(self) -> str:
        """One JSON line."""
        return json.dumps(self.__dict__, ensure_ascii=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> Record:
        """Parse and check a line (hostile input: the ledger branch); ``ValueError`` if it is not one."""
        data = json_object(line, MAX_LINE)
        values = {}
        for name in ("kind", "unit", "channel", "account", "key", "received", "answered", "post"):
            value = data.get(name, "")
            if not isinstance(value, str):
                raise ValueError(f"trường “{name}” sai")
            values[name] = value
        if values["kind"] not in KINDS or not _KEY.fullmatch(values["key"]):
            raise ValueError("loại hoặc khoá sai")
        for name in ("unit", "channel", "account"):
            if not _ID.fullmatch(values[name]):
                raise ValueError(f"trường “{name}” sai")
        if values["post"] and not values["post"].startswith("https://"):
            raise ValueError("liên kết bài sai")
        received = parse_time(values["received"])
        if values["answered"] and parse_time(values["answered"]) < received:
            raise ValueError("trả lời trước khi nhận")
        return cls(**values)


def parse_records(texts) -> list[Record]:
    """Every valid record of the listening files' texts; a broken line is left out."""
    out = []
    for text in texts:
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                out.append(Record.from_json(line))
            except (ValueError, TypeError, RecursionError):
                continue
    return out


def merge(records) -> dict[str, Record]:
    """One record per key: the earliest time the member wrote, the earliest answer.

    A conversation answered twice, or seen by two runs, counts once.
    """
    out: dict[str, Record] = {}
    for record in records:
        known = out.get(record.key)
        if known is None:
            out[record.key] = record
            continue
        received = min(known.received, record.received, key=parse_time)
        answers = [a for a in (known.answered, record.answered) if a]
        answered = min(answers, key=parse_time) if answers else ""
        out[record.key] = Record(
            known.kind,
            known.unit,
            known.channel,
            known.account,
            known.key,
            received,
            answered,
            known.post or record.post,
        )
    return out


def news(found, known: dict[str, Record]) -> list[Record]:
    """The records worth a new line: keys not seen before, or an answer seen for the first time."""
    out = []
    for key, record in merge(found).items():
        old = known.get(key)
        if old is None or (record.answered and not old.answered):
            out.append(record)
    return out


def expired(files, now: dt.datetime, months: int = DEFAULT_RETENTION_MONTHS) -> list[str]:
    """The listening files whose whole month is older than ``months`` months before ``now``."""
    local = now.astimezone(clock.TIMEZONE)
    index = local.year * 12 + local.month - 1 - months
    oldest = f"{index // 12:04d}-{index % 12 + 1:02d}"
    out = []
    for name in files:
        found = re.fullmatch(r"listening-(\d{4}-\d{2})\.jsonl", name)
        if found and found.group(1) < oldest:
            out.append(name)
    return sorted(out)
