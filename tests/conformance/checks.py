"""What other software makes of the site, with the validators those programs' authors publish.

Each function takes a built file (or its text) and returns a list of problems,
one readable line each: empty when the validator is satisfied. The tests run
them on real builds and, to show they can fail, on planted defects.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from loa import clock

from tests.conftest import REPO

HERE = Path(__file__).resolve().parent
VENDOR = REPO / "tests" / "vendor"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")


# -- feeds ---------------------------------------------------------------------------


class _SuiteTime:
    """The ``time`` module with the suite's clock (``LOA_NOW``) as ``time.time()``.

    The feed validator calls a date more than a day ahead of ``time.time()``
    "Implausible date"; a suite run at another instant (LOA_NOW moved, the
    machine's clock not: tests/clocks.py) writes feeds of that instant, which
    are plausible then.
    """

    def __getattr__(self, name: str):
        return getattr(time, name)

    @staticmethod
    def time() -> float:
        return clock.now().timestamp()


def feed_problems(data: bytes, url: str) -> list[str]:
    """The W3C Feed Validation Service (vendored, offline) and feedparser on one feed."""
    if str(VENDOR) not in sys.path:
        sys.path.insert(0, str(VENDOR))
    import feedparser
    import feedvalidator
    from feedvalidator import compatibility, validators
    from feedvalidator.formatter.text_plain import Formatter

    validators.time = _SuiteTime()

    try:
        events = feedvalidator.validateString(data, firstOccurrenceOnly=1, base=url)["loggedEvents"]
    except feedvalidator.logging.ValidationFailure as failure:
        events = [failure.event]
    # "AA": what the online validator reports (errors and warnings).
    problems = [f"W3C: {line}" for line in Formatter(compatibility.AA(events))]
    parsed = feedparser.parse(data)
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception}")
    language = parsed.feed.get("language") or ""
    if not language.startswith("vi"):
        problems.append(f"feedparser: language is “{language}”, not Vietnamese")
    for entry in parsed.entries:
        if entry.get("guidislink"):
            problems.append(f"feedparser: the id of “{entry.get('title')}” is taken for its link")
        if not entry.get("link", "").startswith("https://"):
            problems.append(f"feedparser: “{entry.get('title')}” has no absolute https link")
    return problems


# -- calendars -----------------------------------------------------------------------


def calendar_problems(data: bytes) -> list[str]:
    """Two independent iCalendar parsers (icalendar, vobject) that must agree on every instant."""
    import vobject
    from icalendar import Calendar

    problems = []
    try:
        first = Calendar.from_ical(data)
    except ValueError as exc:
        return [f"icalendar: {exc}"]
    try:
        second = vobject.readOne(data.decode("utf-8"))
    except Exception as exc:  # vobject raises its own ParseError and friends
        return [f"vobject: {exc.__class__.__name__}: {exc}"]
    ours = first.walk("VEVENT")
    theirs = list(getattr(second, "vevent_list", []))
    if not ours:
        problems.append("no VEVENT: RFC 5545 wants at least one component")
    if len(ours) != len(theirs):
        problems.append(f"icalendar sees {len(ours)} events, vobject {len(theirs)}")

    def instant(value):
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC)
        return value  # an all-day date

    by_uid = {str(e["uid"]): e for e in ours}
    for event in theirs:
        uid = event.uid.value
        mine = by_uid.get(uid)
        if mine is None:
            problems.append(f"{uid}: only vobject sees it")
            continue
        for name in ("dtstart", "dtend"):
            a, b = instant(mine.decoded(name)), instant(getattr(event, name).value)
            if a != b:
                problems.append(f"{uid}: {name} is {a} for icalendar, {b} for vobject")
        for name in ("dtstamp", "sequence", "last-modified"):
            if name not in mine:
                problems.append(f"{uid}: no {name.upper()} (an edited event would not update)")
    return problems


# -- sitemap -------------------------------------------------------------------------


def sitemap_problems(data: bytes) -> list[str]:
    """The sitemaps.org 0.9 schema, with lxml."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(HERE / "sitemap-0.9.xsd")))
    try:
        document = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        return [f"XML: {exc}"]
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# -- robots.txt ----------------------------------------------------------------------


def robots_problems(text: str, site: str, paths: list[str], disallowed: set[str]) -> list[str]:
    """Python's robotparser (first match) and Protego (longest match, like Google) must agree."""
    import urllib.robotparser

    from protego import Protego

    first = urllib.robotparser.RobotFileParser()
    first.parse(text.splitlines())
    second = Protego.parse(text)
    problems = []
    for path in paths:
        url = site + path
        a, b = first.can_fetch("*", url), second.can_fetch(url, "*")
        if a != b:
            problems.append(f"{path}: robotparser says {a}, Protego {b}")
        if a == (path in disallowed):
            problems.append(f"{path}: {'allowed' if a else 'disallowed'} but should not be")
    return problems


# -- link cards and structured data --------------------------------------------------


def card_problems(html: str) -> list[str]:
    """What Zalo's, Facebook's and X's link previews read: a title, a description, a picture."""
    soup = BeautifulSoup(html, "html.parser")

    def meta(attribute: str, name: str) -> str:
        tag = soup.find("meta", attrs={attribute: name})
        return (tag.get("content") or "").strip() if tag else ""

    problems = []
    for name in ("og:title", "og:description", "og:url", "og:image", "og:type"):
        if not meta("property", name):
            problems.append(f"no {name}")
    image = meta("property", "og:image")
    if image and urlsplit(image).scheme not in ("http", "https"):
        problems.append(f"og:image “{image}” is not an absolute address")
    if image and not (meta("property", "og:image:width") and meta("property", "og:image:height")):
        problems.append("og:image without og:image:width/height")
    if meta("name", "twitter:card") not in ("summary", "summary_large_image"):
        problems.append("no twitter:card")
    return problems


ARTICLE_RECOMMENDED = ("headline", "image", "datePublished", "dateModified", "author")
EVENT_REQUIRED = ("name", "startDate", "location")
EVENT_RECOMMENDED = (
    "description",
    "endDate",
    "eventAttendanceMode",
    "eventStatus",
    "image",
    "organizer",
)


def _types(item: dict) -> set[str]:
    kind = item.get("@type")
    return set(kind) if isinstance(kind, list) else {kind}


def jsonld_problems(html: str, url: str) -> list[str]:
    """JSON-LD as extruct reads it, against Google's Article and Event guidance."""
    import extruct

    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
    problems = []
    for item in data:
        types = _types(item)
        if types & {"Article", "NewsArticle", "BlogPosting"}:
            problems += [f"Article: no {k}" for k in ARTICLE_RECOMMENDED if not item.get(k)]
            for author in item.get("author") or []:
                if not (author.get("name") and author.get("url")):
                    problems.append("Article: an author without name and url")
            publisher = item.get("publisher") or {}
            for key in ("name", "url", "logo"):
                if not publisher.get(key):
                    problems.append(f"Article: publisher without {key}")
        if "Event" in types:
            problems += [f"Event: no {k} (required)" for k in EVENT_REQUIRED if not item.get(k)]
            problems += [f"Event: no {k}" for k in EVENT_RECOMMENDED if not item.get(k)]
            organizer = item.get("organizer") or {}
            if not (organizer.get("name") and organizer.get("url")):
                problems.append("Event: organizer without name and url")
            places = item.get("location")
            for place in places if isinstance(places, list) else [places or {}]:
                if "Place" in _types(place):
                    address = place.get("address")
                    if not isinstance(address, dict) or "PostalAddress" not in _types(address):
                        problems.append("Event: Place.address is not a PostalAddress")
                elif "VirtualLocation" in _types(place) and not place.get("url"):
                    problems.append("Event: VirtualLocation without url")
    return problems


# -- HTML ----------------------------------------------------------------------------


def html_problems(paths: list[Path]) -> list[str]:
    """The W3C Nu HTML Checker (npm vnu-jar, run with Java): errors only."""
    if not paths:
        return []
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{urlsplit(m.get('url', '')).path}:{m.get('lastLine')}: {m['message']}"
        for m in report.get("messages", [])
        if m.get("type") == "error"
    ]
