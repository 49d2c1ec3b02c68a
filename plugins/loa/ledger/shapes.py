"""The ledger read as hostile input: each field's shape (``loa.ledger.counted`` counts what it recorded).

Signing (``loa.ledger.trust``) keeps others from writing the branch; this is the
second line: whatever a line says is checked before anything is shown or
counted — known platform names, times not after now (the one clock), post
addresses ``https`` on the platform's own hosts, follower counts only for
accounts of the registry or of a post the ledger recorded, interaction counts
only for posts the ledger itself recorded (with the same remote id).
"""

from __future__ import annotations

import datetime as dt
import json

from loa import clock, platforms

# A runner's clock may be a little ahead of the one that wrote the line.
SKEW = dt.timedelta(minutes=5)
# Line separators JSON leaves raw but ``str.splitlines`` splits on.
_SEPARATORS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def dumps(data: dict) -> str:
    """One JSON line that no line splitter breaks (U+2028, U+2029 and NEL escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SEPARATORS.items():
        text = text.replace(raw, escaped)
    return text


def json_object(line: str, limit: int) -> dict:
    """One ledger line as a JSON object; ``ValueError`` (one Vietnamese phrase) when it is not one."""
    if len(line) > limit:
        raise ValueError("dòng quá dài")
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("không phải đối tượng JSON")
    return data


def lines(text: str) -> list[str]:
    """The lines of a JSON Lines text: split on newlines only (never on U+2028 inside a value)."""
    return text.split("\n")


def instant(text: str) -> dt.datetime | None:
    """An ISO 8601 time as an aware instant (UTC when it names no offset); None when it is not one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def time_problem(text: str) -> str | None:
    """Why ``text`` is not a time a ledger line may carry (None: it is one, not after now)."""
    moment = instant(text)
    if moment is None:
        return "trường “time” không phải thời điểm"
    if moment > clock.now() + SKEW:
        return "ghi thời điểm trong tương lai"
    return None


def channel_problem(name: str) -> str | None:
    """Why ``name`` is not a platform Loa knows (None: it is)."""
    if platforms.get(name) is None:
        return f"kênh “{str(name)[:40]}” không có"
    return None


def post_url(channel: str, url: str) -> str:
    """``url`` when it is an https address on ``channel``'s own hosts, else ""."""
    record = platforms.get(channel)
    return record.own_url(url) if record and url else ""
