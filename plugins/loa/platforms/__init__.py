"""One record per platform: everything Loa knows about a network, in one place.

A record says what ``units.yml`` may write for an account (the account key,
required and optional keys, the ``*_env`` names of its secrets, yes/no keys and
closed choices), the public addresses (profile, post, share link), the text
limits and how the platform counts length, and what the platform can do
(link, photo, album, video, followers, interactions). The registry, ``loa
check``, the planner, the reports, the command line, the theme and the tests'
harness all read the record; nothing else names a platform.

The seven built-in records are in ``loa.platforms.builtin``. A site may add one
more network without touching Loa: a module named in ``LOA_PLATFORMS`` (in
``pelicanconf.py``) that registers its record here and defines its adapter
(``loa.syndication.channels.base.Adapter`` subclass with ``platform`` set).
"""

from __future__ import annotations

import importlib
import string
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote, urlsplit

from loa.errors import LoaError

# What a platform can do: the planner, the album code and the insights read these.
LINK = "link"  # a post can carry the article's link
PHOTO = "photo"  # a post can carry one picture
ALBUM = "album"  # a post can carry several pictures
VIDEO = "video"
# The platform takes a video only from a public address it downloads (no upload):
# the build then publishes the copy with captions burned in beside the site's own.
VIDEO_BY_ADDRESS = "video-by-address"
FOLLOWERS = "followers"  # the API gives the account's follower count
INTERACTIONS = "interactions"  # the API gives per-post counts (reactions, comments...)
CAPABILITIES = frozenset({LINK, PHOTO, ALBUM, VIDEO, VIDEO_BY_ADDRESS, FOLLOWERS, INTERACTIONS})

# Room the article's link takes in a text that carries it (a full address).
LINK_ROOM = 100


@dataclass(frozen=True)
class TextLimit:
    """The field a contributor's ``social_text`` goes into, and how it is measured."""

    field: str
    maximum: int
    count: Callable[[str], int] = len
    unit: str = "ký tự"  # what the count is, for the message ("ký tự", "điểm theo cách đếm của X")
    link_room: int = LINK_ROOM  # room for the article's link in this field (0: sent elsewhere)

    def measure(self, text: str) -> int:
        """The size ``text`` will have once the link is added."""
        return self.count(text) + self.link_room


class _Blank(dict):
    def __missing__(self, key):
        raise KeyError(key)


@dataclass(frozen=True)
class Platform:
    """Everything Loa knows about one network."""

    name: str  # the key in units.yml and in front matter ("facebook")
    label: str  # for people ("Facebook")
    account_key: str  # the setting that identifies the account ("page_id")
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    booleans: tuple[str, ...] = ()  # keys that take true/false
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    profile_url: str = ""  # template over the account's settings: "https://x.com/{username}"
    post_url: str = ""  # template over {profile} and {id}, when the API gives no permalink
    share_url: str = ""  # template over {url} and {title} (quoted): a share link for readers
    text: TextLimit = TextLimit("text", 5000)
    limits: Mapping[str, int] = field(default_factory=dict)  # every documented limit, by field
    capabilities: frozenset[str] = frozenset({LINK})
    api_base: str = ""  # the API's origin; LOA_API_BASE_<NAME> replaces it
    text_checks: tuple[Callable[[str], str | None], ...] = ()  # more rules on a social text
    evidence: tuple[str, ...] = ()  # the vendor pages the facts above come from
    web_hosts: tuple[str, ...] = ()  # more hosts of its public pages than its URL templates name
    # How a post's text is made from an article: steps of loa.platforms.compose's language,
    # run by the adapter and, from loa-config.json, by the newsroom's preview.
    compose: tuple = field(default=(), compare=False)

    def __post_init__(self):
        """Refuse unknown capabilities; freeze the mappings."""
        unknown = set(self.capabilities) - CAPABILITIES
        if unknown:
            raise ValueError(f"unknown capabilities {sorted(unknown)} for {self.name}")
        object.__setattr__(self, "choices", MappingProxyType(dict(self.choices)))
        object.__setattr__(self, "limits", MappingProxyType(dict(self.limits)))

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key ``units.yml`` may write for an account."""
        return (*self.required, *self.optional, "url", "name")

    def can(self, capability: str) -> bool:
        """Whether the platform has ``capability``."""
        return capability in self.capabilities

    def profile(self, settings: Mapping) -> str:
        """The account's public address from its settings ("" when a needed key is missing)."""
        return _fill(self.profile_url, settings)

    def post(self, profile: str, post_id: str) -> str:
        """A post's public address when the API gave none."""
        return _fill(self.post_url, {"profile": profile.rstrip("/"), "id": post_id})

    @property
    def hosts(self) -> frozenset[str]:
        """The fixed hosts of the platform's public pages (its URL templates' and ``web_hosts``), without ``www.``."""
        found = set(self.web_hosts)
        for template in (self.profile_url, self.post_url, self.share_url):
            host = _template_host(template)
            if host and "{" not in host:
                found.add(host)
        return frozenset(h.lower().removeprefix("www.") for h in found)

    @property
    def federated(self) -> bool:
        """True when the profile's host depends on the account (``https://{instance}/…``)."""
        return "{" in _template_host(self.profile_url)

    def own_url(self, url: str, settings: Mapping | None = None) -> str:
        """``url`` when it is an https address on one of the platform's hosts (or a subdomain), else "".

        A post's address comes from the platform's answer or the ledger, both
        untrusted: it becomes an ``href`` on the site and a link in reports, so a
        ``javascript:`` URL, a look-alike host (``facebook.com.evil.example``,
        ``evilfacebook.com``), credentials, a port or a control character never pass.
        A federated platform's host is the account's (``settings``: its profile's
        host); without the account's settings any https host of the right form passes.
        """
        host = _safe_host(url)
        if not host:
            return ""
        allowed = set(self.hosts)
        own = _template_host(self.profile(settings)) if settings else ""
        if own:
            allowed.add(own.removeprefix("www."))
        if any(host == h or host.endswith("." + h) for h in allowed):
            return url
        return url if self.federated and settings is None else ""

    def share(self, url: str, title: str) -> str:
        """A share link for readers ("" when the platform has none)."""
        return _fill(self.share_url, {"url": quote(url, safe=""), "title": quote(title, safe="")})


def _template_host(template: str) -> str:
    """The host part of an https URL or template ("" when it is not one)."""
    if not template.startswith("https://"):
        return ""
    return template[len("https://") :].split("/", 1)[0].lower()


def _safe_host(url: str) -> str:
    """The host of an https URL with no credentials, port or odd character ("" otherwise)."""
    if not isinstance(url, str) or len(url) > 2048 or not url.startswith("https://"):
        return ""
    if any(ord(c) < 33 or 0x7F <= ord(c) <= 0x9F or c in '\\"<>`\u2028\u2029' for c in url):
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port is not None or "@" in parts.netloc or not host:
        return ""
    return host


def _fill(template: str, values: Mapping) -> str:
    if not template:
        return ""
    needed = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    if any(values.get(name) in (None, "") for name in needed):
        return ""
    return template.format_map(_Blank({k: values[k] for k in needed}))


_RECORDS: dict[str, Platform] = {}


def register(platform: Platform) -> Platform:
    """Add a platform (a site extension or a test); the same record twice is harmless."""
    known = _RECORDS.get(platform.name)
    if known is not None and known != platform:
        raise LoaError(
            f"nền tảng “{platform.name}” đã được khai báo — đặt tên khác cho nền tảng mới."
        )
    _RECORDS[platform.name] = platform
    return platform


def unregister(name: str) -> None:
    """Forget a platform (tests that define one of their own)."""
    _RECORDS.pop(name, None)


def get(name: str) -> Platform | None:
    """The record of ``name``, if any."""
    return _RECORDS.get(name)


def names() -> tuple[str, ...]:
    """Every known platform, built-ins first, in the order they were registered."""
    return tuple(_RECORDS)


def records() -> tuple[Platform, ...]:
    """Every known record."""
    return tuple(_RECORDS.values())


def label(name: str) -> str:
    """The display name of a platform (its key when unknown)."""
    record = get(name)
    return record.label if record else name


_loaded: set[str] = set()


def load_extensions(modules, root: Path | str | None = None, where: str = "LOA_PLATFORMS") -> None:
    """Import the modules a site names (``LOA_PLATFORMS``): each registers a record and an adapter.

    ``root`` (the site's folder) is searched first, so a module kept next to
    ``pelicanconf.py`` is found. A module that fails to import is a usage error
    naming it, never a traceback.
    """
    if not modules:
        return
    if isinstance(modules, str):
        modules = [modules]
    if not isinstance(modules, (list, tuple)) or not all(isinstance(m, str) for m in modules):
        raise LoaError(f'{where} phải là danh sách tên mô-đun Python, ví dụ ["kenh_moi"].')
    folder = str(Path(root).resolve()) if root is not None else None
    for module in modules:
        if module in _loaded:
            continue
        added = folder is not None and folder not in sys.path
        if added:
            sys.path.insert(0, folder)
        try:
            importlib.import_module(module)
        except Exception as exc:  # an extension is code: any failure is the site's to fix
            raise LoaError(
                f"{where}: không nạp được mô-đun “{module}” ({exc.__class__.__name__}: {exc}) — "
                "kiểm tra tên mô-đun và tệp của nó."
            ) from None
        finally:
            if added:
                sys.path.remove(folder)
        _loaded.add(module)


def load_for_site(root: Path | str) -> None:
    """Load the extensions a site's ``pelicanconf.py`` names, without running Pelican.

    Read only when the file mentions ``LOA_PLATFORMS``: most sites have none,
    and the command line should not pay for running the settings file.
    """
    conf = Path(root) / "pelicanconf.py"
    try:
        text = conf.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if "LOA_PLATFORMS" not in text:
        return
    from pelican.settings import get_settings_from_file

    try:
        settings = get_settings_from_file(str(conf))
    except Exception:  # a broken settings file is reported by the command that needs it
        return
    load_extensions(settings.get("LOA_PLATFORMS"), root, "pelicanconf.py, LOA_PLATFORMS")


from loa.platforms import builtin  # noqa: E402,F401  (registers the built-in records)
