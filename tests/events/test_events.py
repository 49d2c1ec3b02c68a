"""Events: validated front matter, iCalendar feeds a phone can subscribe to, reminders posted once."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter

import pytest
from icalendar import Calendar
from loa.frontmatter import parse_document

from tests.cli.test_cli import loa
from tests.conftest import REPO, article
from tests.syndication.harness import Chain

VN = dt.timezone(dt.timedelta(hours=7))

pytestmark = pytest.mark.clock


def event_article(**event) -> str:
    lines = "\n".join(f"  {k}: {v}" for k, v in event.items())
    return article().replace("---\n\n", f"event:\n{lines}\n---\n\n", 1)


def errors(text: str) -> list:
    return [
        f
        for f in parse_document(text, "content/articles/don-vi-a/2026-11-20-a.md").findings
        if f.is_error
    ]


def test_a_valid_timed_event():
    doc = parse_document(
        event_article(start="2026-12-05 08:00", end="2026-12-05 11:30", location="Hội trường"),
        "x.md",
    )
    assert doc.ok
    event = doc.fields["event"]
    assert event.start.isoformat() == "2026-12-05T08:00:00+07:00" and not event.all_day


def test_an_all_day_event_ends_the_next_midnight():
    event = parse_document(
        event_article(start="2026-12-05", end="2026-12-06", location="Sân bóng"), "x.md"
    ).fields["event"]
    assert event.all_day and event.end.date() == dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"start": "2026-12-05 08:00", "end": "2026-12-05 07:00", "location": "A"},
            "kết thúc trước khi bắt đầu",
        ),
        ({"start": "2026-12-05 08:00"}, "thiếu địa điểm"),
        ({"location": "A"}, "thiếu “start”"),
        ({"start": "5/12 8 giờ", "location": "A"}, "không đọc được"),
        ({"start": "2026-12-05", "end": "2026-12-05 10:00", "location": "A"}, "cùng kiểu"),
        (
            {"start": "2026-12-05 08:00", "online": "http://hop.vi-du.vn", "location": "A"},
            "https://",
        ),
        ({"start": "2026-12-05 08:00", "location": "A", "dia_diem": "B"}, "không được hỗ trợ"),
    ],
)
def test_event_mistakes_are_named(fields, message):
    found = errors(event_article(**fields))
    assert any(message in f.message for f in found), [f.message for f in found]
    assert all(f.line and f.line >= 6 for f in found)


def test_loa_check_refuses_an_unknown_organiser_and_an_unofficial_link(site):
    shutil.copy(REPO / "content" / "sources.yml", site.content / "sources.yml")
    site.write(
        "articles/don-vi-a/2026-11-20-a.md",
        event_article(
            start="2026-12-05 08:00",
            location="A",
            organiser="khong-co",
            registration="https://dang-ky.example.com/form",
        ),
    )
    result = loa("check", cwd=site.root)
    assert result.returncode == 1
    assert "Đơn vị tổ chức “khong-co”" in result.stdout and "dang-ky.example.com" in result.stdout


@pytest.fixture
def event_site(site):
    shutil.copy(REPO / "content" / "sources.yml", site.content / "sources.yml")
    site.write(
        "articles/don-vi-a/2026-11-20-hop-mat.md",
        event_article(
            start="2026-12-05 00:30",
            end="2026-12-05 02:00",
            location="Hội trường A",
            reminder="true",
        ).replace("title: Hội nghị người lao động năm 2026", "title: Gặp mặt lúc nửa đêm"),
    )
    site.write(
        "articles/don-vi-b/2026-11-21-ngay-hoi.md",
        event_article(start="2026-12-12", location="Sân vận động", organiser="don-vi-a").replace(
            "title: Hội nghị người lao động năm 2026", "title: Ngày hội thể thao"
        ),
    )
    site.write(
        "articles/don-vi-b/2026-11-22-toa-dam.md",
        event_article(start="2026-12-20 14:00", online="https://hop.vi-du.gov.vn/phong-1").replace(
            "title: Hội nghị người lao động năm 2026", "title: Toạ đàm trực tuyến"
        ),
    )
    return site


def read_calendar(path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_feeds_parse_hold_the_right_events_and_days(event_site):
    out = event_site.build()
    everything = read_calendar(out / "feeds" / "events.ics")
    events = {str(e["summary"]): e for e in everything.walk("VEVENT")}
    assert set(events) == {"Gặp mặt lúc nửa đêm", "Ngày hội thể thao", "Toạ đàm trực tuyến"}
    midnight = events["Gặp mặt lúc nửa đêm"].decoded("dtstart")
    assert midnight.astimezone(VN).date() == dt.date(2026, 12, 5), (
        "00:30 in Vietnam stays on the 5th"
    )
    assert midnight.astimezone(dt.UTC).date() == dt.date(2026, 12, 4)
    all_day = events["Ngày hội thể thao"]
    assert all_day.decoded("dtstart") == dt.date(2026, 12, 12) and all_day.decoded(
        "dtend"
    ) == dt.date(2026, 12, 13)
    assert "https://hop.vi-du.gov.vn/phong-1" in str(events["Toạ đàm trực tuyến"]["description"])
    assert everything.walk("VTIMEZONE"), "the calendar carries its timezone"
    unit_a = {
        str(e["summary"]) for e in read_calendar(out / "feeds" / "don-vi-a.ics").walk("VEVENT")
    }
    assert unit_a == {"Gặp mặt lúc nửa đêm", "Ngày hội thể thao"}, (
        "the organiser's feed has its events"
    )
    single = read_calendar(out / "su-kien" / "don-vi-a" / "hop-mat.ics")
    assert [str(e["summary"]) for e in single.walk("VEVENT")] == ["Gặp mặt lúc nửa đêm"]


def test_uids_and_files_are_stable_across_builds(event_site):
    first = (event_site.build() / "feeds" / "events.ics").read_bytes()
    uids = [str(e["uid"]) for e in Calendar.from_ical(first).walk("VEVENT")]
    second = (event_site.build() / "feeds" / "events.ics").read_bytes()
    assert first == second
    assert uids == [
        "don-vi-a-hop-mat@vi-du.example.vn",
        "don-vi-b-ngay-hoi@vi-du.example.vn",
        "don-vi-b-toa-dam@vi-du.example.vn",
    ]


def test_special_characters_are_escaped(site):
    site.write(
        "articles/don-vi-a/2026-11-20-a.md",
        event_article(start="2026-12-05 08:00", location='"Phòng 3; tầng 2, nhà A\\\\B"').replace(
            "title: Hội nghị người lao động năm 2026",
            'title: "Hội nghị: tổng kết, khen thưởng; giao lưu"',
        ),
    )
    calendar = read_calendar(site.build() / "feeds" / "events.ics")
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Hội nghị: tổng kết, khen thưởng; giao lưu"
    assert str(event["location"]) == "Phòng 3; tầng 2, nhà A\\B"


def test_article_page_shows_the_event_and_its_json_ld(event_site):
    import json

    from bs4 import BeautifulSoup

    page = BeautifulSoup(
        (event_site.build() / "don-vi-a" / "hop-mat" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    box = page.select_one(".event-box").get_text(" ")
    assert "00:30" in box and "Hội trường A" in box
    scripts = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    event = next(s for s in scripts if s["@type"] == "Event")
    assert (
        event["startDate"] == "2026-12-05T00:30:00+07:00"
        and event["location"]["name"] == "Hội trường A"
    )
    assert page.select_one('a[href$="su-kien/don-vi-a/hop-mat.ics"]')


def test_rehearsal_event_announced_once_reminded_once_the_day_before(tmp_path, now):
    chain = Chain(tmp_path)
    try:
        start = now.replace(second=0) + dt.timedelta(days=5)
        chain.write_article("don-vi-a", "cu", hours_ago=30)
        chain.build()
        assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0
        chain.site.write(
            f"articles/don-vi-a/{now:%Y-%m-%d}-su-kien.md",
            event_article(
                start=start.strftime("%Y-%m-%d %H:%M"), location="Hội trường", reminder="true"
            )
            .replace("title: Hội nghị người lao động năm 2026", "title: Ngày hội đoàn viên")
            .replace("date: 2026-11-20 08:00", f"date: {now:%Y-%m-%d %H:%M}"),
        )
        chain.build()
        announced = chain.loa("syndicate", "publish")
        assert announced.returncode == 0, announced.stdout + announced.stderr
        assert len(chain.posts()) == 4
        before = chain.loa(
            "syndicate", "publish", env={"LOA_NOW": (start - dt.timedelta(days=2)).isoformat()}
        )
        assert before.returncode == 0 and len(chain.posts()) == 4, "no reminder two days before"
        day_before = (start - dt.timedelta(days=1)).replace(hour=8, minute=0).isoformat()
        reminded = chain.loa("syndicate", "publish", env={"LOA_NOW": day_before})
        assert reminded.returncode == 0, reminded.stdout
        posts = chain.posts()
        assert len(posts) == 8
        assert Counter((p, a) for p, a, _ in posts) == Counter(
            dict.fromkeys({(p, a) for p, a, _ in posts}, 2)
        )
        texts = [p.get("text") or p.get("caption") or "" for p in chain.telegram.app.posts]
        assert sum("Ngày mai" in t for t in texts) == 2
        again = chain.loa("syndicate", "publish", env={"LOA_NOW": day_before})
        assert again.returncode == 0 and len(chain.posts()) == 8, "rerun posts nothing"
        after = chain.loa(
            "syndicate", "publish", env={"LOA_NOW": (start + dt.timedelta(hours=1)).isoformat()}
        )
        assert after.returncode == 0 and len(chain.posts()) == 8
        chain.assert_no_canary()
    finally:
        chain.close()
