"""The ``event`` block of an article: when, where, how to register, and whether to remind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from loa.frontmatter.fields import EVENT_KEYS
from loa.suggest import closest
from loa.vietnamese import localize, nfc

DEFAULT_LENGTH = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Event:
    """An event: aware start and end (end exclusive for all-day events), place, links, reminder."""

    start: dt.datetime
    end: dt.datetime
    all_day: bool = False
    location: str = ""
    online: str = ""
    registration: str = ""
    organiser: str = ""
    reminder: bool = False

    def to_dict(self) -> dict:
        """JSON-friendly (the manifest, templates)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "all_day": self.all_day,
            "location": self.location,
            "online": self.online,
            "registration": self.registration,
            "organiser": self.organiser,
            "reminder": self.reminder,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        """Back from ``to_dict``."""
        return cls(
            start=dt.datetime.fromisoformat(data["start"]),
            end=dt.datetime.fromisoformat(data["end"]),
            all_day=bool(data.get("all_day")),
            location=data.get("location") or "",
            online=data.get("online") or "",
            registration=data.get("registration") or "",
            organiser=data.get("organiser") or "",
            reminder=bool(data.get("reminder")),
        )

    def reminder_opens(self) -> dt.datetime:
        """00:00, Vietnam time, of the day before the event: when its reminder may be posted."""
        day = localize(self.start).date() - dt.timedelta(days=1)
        return localize(dt.datetime(day.year, day.month, day.day))


def _when(value) -> tuple[dt.datetime | None, bool]:
    """(aware datetime, all-day) from YAML's value (a date string means all-day)."""
    if isinstance(value, dt.datetime):
        return localize(value), False
    if isinstance(value, dt.date):
        return localize(dt.datetime(value.year, value.month, value.day)), True
    if not isinstance(value, str):
        return None, False
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return localize(dt.datetime(day.year, day.month, day.day)), True
        return localize(dt.datetime.fromisoformat(text.replace("Z", "+00:00"))), False
    except ValueError:
        return None, False


def parse_event(raw, add, line_of) -> Event | None:
    """Validate the block; ``add(line, message, code)`` records problems. None when unusable."""
    if not isinstance(raw, dict):
        add(
            line_of("event"),
            "Mục “event” phải gồm các dòng thụt lề như “start: 2026-12-05 08:00” — xem CONTRIBUTING.md.",
            "event",
        )
        return None
    lines = getattr(raw, "lines", {})

    def at(key: str) -> int:
        return lines.get(key, line_of("event"))

    for key in raw:
        if key not in EVENT_KEYS:
            close = closest(key, EVENT_KEYS)
            hint = f"có phải “{close}”? " if close else ""
            add(
                at(key),
                f"Trường “event.{key}” không được hỗ trợ — {hint}các trường: {', '.join(EVENT_KEYS)}.",
                "event",
            )
    start, all_day = _when(raw.get("start"))
    if raw.get("start") in (None, ""):
        add(
            line_of("event"),
            "Sự kiện thiếu “start” — thêm “start: 2026-12-05 08:00” (giờ Việt Nam), hoặc chỉ ngày nếu diễn ra cả ngày.",
            "event",
        )
        return None
    if start is None:
        add(
            at("start"),
            f"Giờ bắt đầu “{raw.get('start')}” không đọc được — viết dạng “2026-12-05 08:00” hoặc “2026-12-05”.",
            "event",
        )
        return None
    if raw.get("end") in (None, ""):
        end = start + (dt.timedelta(days=1) if all_day else DEFAULT_LENGTH)
    else:
        end, end_all_day = _when(raw.get("end"))
        if end is None:
            add(
                at("end"),
                f"Giờ kết thúc “{raw.get('end')}” không đọc được — viết dạng “2026-12-05 11:30”.",
                "event",
            )
            return None
        if all_day != end_all_day:
            add(
                at("end"),
                "“start” và “end” phải cùng kiểu: cả hai có giờ, hoặc cả hai chỉ có ngày.",
                "event",
            )
            return None
        if all_day:
            end = end + dt.timedelta(
                days=1
            )  # the last day is included: the calendar end is the next midnight
        if end <= start:
            add(
                at("end"),
                "Sự kiện kết thúc trước khi bắt đầu — sửa “end” cho sau “start”.",
                "event",
            )
            return None
    texts, reminder = _details(raw, add, at, line_of)
    return Event(
        start,
        end,
        all_day,
        texts["location"],
        texts["online"],
        texts["registration"],
        texts["organiser"],
        reminder,
    )


def _details(raw, add, at, line_of) -> tuple[dict, bool]:
    """Where (a place or an https link), registration, organiser, and the reminder flag."""
    texts = {}
    for key in ("location", "online", "registration", "organiser"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            add(at(key), f"“event.{key}” phải là một dòng chữ.", "event")
            value = None
        texts[key] = nfc(value.strip()) if isinstance(value, str) else ""
    if not texts["location"] and not texts["online"]:
        add(
            line_of("event"),
            "Sự kiện thiếu địa điểm — thêm “location: …” hoặc “online: https://…” (đường dẫn họp trực tuyến).",
            "event",
        )
    for key in ("online", "registration"):
        if texts[key] and not texts[key].startswith("https://"):
            add(
                at(key),
                f"“event.{key}” phải là một đường dẫn https:// — sửa lại đường dẫn.",
                "event",
            )
    reminder = raw.get("reminder", False)
    if not isinstance(reminder, bool):
        add(at("reminder"), "“event.reminder” phải là true hoặc false.", "event")
        reminder = False
    return texts, reminder
