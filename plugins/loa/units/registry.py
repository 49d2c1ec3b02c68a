"""The units registry (``content/units.yml``): load, validate, look up.

The registry is the organisation's configuration: the department, its member
units, who administers each, their posting targets and social channels. Code
never names the organisation; everything comes from this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from loa import contentfs, platforms, yamlfile
from loa.errors import LoaError
from loa.findings import Finding
from loa.suggest import closest
from loa.units.listening import Listening, Topic, parse_listening, parse_topics
from loa.vietnamese import nfc

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENV_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
ADMIN_RE = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$")
MAX_SLUG = 40

# Folder names the site itself uses at its root: a unit with one of these slugs
# would overwrite (or be overwritten by) a site path.
RESERVED_SLUGS = frozenset(
    {
        "404", "archives", "author", "authors", "ban-nhap", "categories", "category",
        "chu-de", "don-vi", "drafts", "extra", "feeds", "gop-y", "hoi-dap", "images", "index", "loa",
        "luu-tru", "page", "pagefind", "robots", "search", "sitemap", "static",
        "su-kien", "tac-gia", "tag", "tags", "theme", "thong-ke", "tim-kiem",
    }
)  # fmt: skip

UNIT_KEYS = (
    "slug", "name", "short_name", "description", "admins", "cadence", "channels", "listening",
)  # fmt: skip
REQUIRED_UNIT_KEYS = ("slug", "name", "short_name", "description", "admins")
CADENCE_KEYS = ("min_per_week", "max_per_week")
DEFAULT_CADENCE = (2, 4)
TOP_KEYS = ("department", "units", "topics")


def channel_names() -> tuple[str, ...]:
    """Every platform a unit may have an account on (the records in ``loa.platforms``)."""
    return platforms.names()


@dataclass(frozen=True)
class Channel:
    """One social account of a unit: platform, account id, settings, token variables."""

    platform: str
    account: str
    settings: dict = field(compare=False, hash=False, repr=False)
    owner: str = ""

    @property
    def record(self) -> platforms.Platform:
        """What Loa knows about this account's platform."""
        record = platforms.get(self.platform)
        if record is None:  # only a registry parsed before an extension was unloaded
            raise LoaError(f"nền tảng “{self.platform}” không còn được khai báo.")
        return record

    @property
    def label(self) -> str:
        """The platform's display name ("Zalo OA")."""
        return platforms.label(self.platform)

    @property
    def env_names(self) -> dict[str, str]:
        """The environment variables this account needs, by setting key."""
        return {k: v for k, v in self.settings.items() if k.endswith("_env")}

    @property
    def url(self) -> str:
        """The public address of the account, for readers ("" when it cannot be known)."""
        if self.settings.get("url"):
            return self.settings["url"]
        record = platforms.get(self.platform)
        return record.profile(self.settings) if record else ""

    @property
    def display_name(self) -> str:
        """What the site shows for the account."""
        return self.settings.get("name") or self.label

    def get(self, key: str, default=None):
        """A setting of this account."""
        return self.settings.get(key, default)


@dataclass(frozen=True)
class Cadence:
    """The posting target of a unit, in published articles per ISO week."""

    min_per_week: int
    max_per_week: int


@dataclass(frozen=True)
class Unit:
    """The department or a member unit: its folder, names, admins, target and channels."""

    slug: str
    name: str
    short_name: str
    description: str
    admins: tuple[str, ...]
    cadence: Cadence
    channels: tuple[Channel, ...]
    is_department: bool = False
    line: int = 1
    listening: Listening = field(default_factory=Listening, compare=False)

    def channel(self, platform: str) -> Channel | None:
        """This unit's account on ``platform``, if any."""
        return next((c for c in self.channels if c.platform == platform), None)


@dataclass(frozen=True)
class Registry:
    """The whole registry: the department first, then the member units in file order."""

    path: str
    department: Unit
    units: tuple[Unit, ...]
    topics: tuple[Topic, ...] = ()  # the hỏi đáp topics

    def all(self) -> tuple[Unit, ...]:
        """The department and every unit."""
        return (self.department, *self.units)

    @property
    def slugs(self) -> tuple[str, ...]:
        """Every valid article folder."""
        return tuple(u.slug for u in self.all())

    def get(self, slug: str) -> Unit | None:
        """The unit whose folder is ``slug``."""
        return next((u for u in self.all() if u.slug == slug), None)

    def __contains__(self, slug: str) -> bool:
        """Whether a unit's folder is ``slug``."""
        return self.get(slug) is not None

    def channels_for(self, unit: Unit) -> tuple[Channel, ...]:
        """Where an article of ``unit`` goes: the unit's accounts, then the department's."""
        if unit.is_department:
            return unit.channels
        return (*unit.channels, *self.department.channels)

    def routes(self, slug: str, syndicate: bool | list | tuple | None) -> tuple[Channel, ...]:
        """The accounts an article of unit ``slug`` goes to, given its ``syndicate`` field.

        ``False``: none; a list of platforms: only those; anything else: all of them.
        """
        unit = self.get(slug)
        if unit is None or syndicate is False:
            return ()
        channels = self.channels_for(unit)
        if isinstance(syndicate, (list, tuple)):
            channels = tuple(c for c in channels if c.platform in syndicate)
        return channels


# Characters with a meaning in HTML, attributes or Markdown: refused in unit names.
MARKUP_CHARACTERS = frozenset("<>&\"'`[]{}\\|*_#~=")


class RegistryError(LoaError):
    """``units.yml`` is invalid; ``findings`` holds one sentence per problem."""

    def __init__(self, findings: list[Finding]):
        """Keep every finding; the message is all of them."""
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


def suggest_key(key: str, allowed) -> str:
    """The fix half of a message: ``sửa thành “x”`` for the closest allowed key, else ``xoá khoá này``."""
    close = closest(key, allowed)
    return f"sửa thành “{close}”" if close else "xoá khoá này"


class _Validator:
    def __init__(self, path: str):
        self.path = path
        self.findings: list[Finding] = []

    def error(self, line: int, message: str, code: str = "units") -> None:
        self.findings.append(Finding(self.path, line, message, code=code))

    def keys(self, mapping: yamlfile.LineDict, allowed, where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(
                    mapping.line_of(key),
                    f"{where} có khoá “{key}” không hợp lệ — {suggest_key(key, allowed)} "
                    f"(các khoá được phép: {', '.join(allowed)}).",
                )

    def text(self, mapping, key, where, required=True) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(mapping.line, f"{where} thiếu “{key}” — thêm dòng “{key}: …”.")
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.error(mapping.line_of(key), f"{where}: “{key}” không hợp lệ — viết một dòng chữ.")
            return ""
        return nfc(str(value).strip())

    def plain(self, mapping, key, where) -> str:
        """A unit's name: plain words, no character that means something in HTML or Markdown.

        Names land in labels, buttons, titles and Markdown reports; a ``<``, a
        link written ``[…](…)`` or a quote there would be markup on the site.
        """
        value = self.text(mapping, key, where)
        found = sorted({c for c in value if c in MARKUP_CHARACTERS})
        if found:
            shown = " ".join(f"“{c}”" for c in found)
            self.error(
                mapping.line_of(key),
                f"{where}: “{key}” có ký tự {shown} — bỏ các ký tự này (viết “và” thay cho “&”); "
                "tên đơn vị chỉ gồm chữ, số, khoảng trắng và các dấu . , - ( ) /.",
            )
            return ""
        return value

    def unit(self, raw, is_department: bool) -> Unit | None:
        kind = "phần “department”" if is_department else "đơn vị"
        if not isinstance(raw, yamlfile.LineDict):
            self.error(
                getattr(raw, "line", 1),
                f"{kind} không đúng dạng — viết các dòng “slug: …”, “name: …” thụt lề dưới mục này.",
            )
            return None
        slug_value = raw.get("slug")
        where = f"{kind} “{slug_value}”" if slug_value else f"{kind} ở dòng {raw.line}"
        self.keys(raw, UNIT_KEYS, where)
        slug = self.text(raw, "slug", where)
        if slug:
            line = raw.line_of("slug")
            if not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
                self.error(
                    line,
                    f"{where}: slug “{slug}” không dùng được làm tên thư mục — chỉ dùng chữ "
                    f"thường không dấu, số và dấu gạch ngang, tối đa {MAX_SLUG} ký tự "
                    f"(ví dụ “vp-cuc”).",
                )
            elif slug in RESERVED_SLUGS:
                self.error(
                    line,
                    f"{where}: slug “{slug}” trùng với một đường dẫn của trang web — "
                    f"chọn tên khác (các tên dành riêng: {', '.join(sorted(RESERVED_SLUGS))}).",
                )
        name = self.plain(raw, "name", where)
        short_name = self.plain(raw, "short_name", where)
        description = self.text(raw, "description", where)
        admins = self.admins(raw, where)
        cadence = self.cadence(raw, where, is_department)
        channels = self.channels(raw, where, slug)
        listening = parse_listening(raw.get("listening"), where, self.error)
        return Unit(
            slug=slug,
            name=name,
            short_name=short_name,
            description=description,
            admins=admins,
            cadence=cadence,
            channels=channels,
            is_department=is_department,
            line=raw.line,
            listening=listening,
        )

    def admins(self, raw, where) -> tuple[str, ...]:
        value = raw.get("admins")
        if value is None:
            self.error(
                raw.line,
                f"{where} thiếu “admins” — thêm danh sách tài khoản GitHub (ví dụ “- '@ten-nguoi-dung'”).",
            )
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.error(
                raw.line_of("admins"),
                f"{where}: “admins” không đúng dạng — viết danh sách tài khoản GitHub, ví dụ “admins: ['@ten-nguoi-dung']”.",
            )
            return ()
        admins = []
        for item in value:
            if not isinstance(item, str) or not ADMIN_RE.match(item.strip()):
                self.error(
                    raw.line_of("admins"),
                    f"{where}: quản trị viên “{item}” không phải tài khoản hay nhóm GitHub — "
                    f"viết “@ten-nguoi-dung” hoặc “@to-chuc/ten-nhom” trong ngoặc đơn.",
                )
            else:
                admins.append(item.strip())
        return tuple(admins)

    def cadence(self, raw, where, is_department) -> Cadence:
        value = raw.get("cadence")
        if value is None:
            return Cadence(*DEFAULT_CADENCE)
        line = raw.line_of("cadence")
        if not isinstance(value, yamlfile.LineDict):
            self.error(
                line,
                f"{where}: “cadence” không đúng dạng — viết “cadence: {{min_per_week: 2, max_per_week: 4}}”.",
            )
            return Cadence(*DEFAULT_CADENCE)
        self.keys(value, CADENCE_KEYS, f"{where}, mục “cadence”,")
        numbers = []
        for key, default in zip(CADENCE_KEYS, DEFAULT_CADENCE, strict=True):
            number = value.get(key, default)
            if not isinstance(number, int) or isinstance(number, bool) or number < 0:
                self.error(
                    value.line_of(key),
                    f"{where}: “{key}” không hợp lệ — viết một số nguyên không âm (ví dụ 2).",
                )
                number = default
            numbers.append(number)
        if numbers[0] > numbers[1]:
            self.error(
                line,
                f"{where}: “min_per_week” ({numbers[0]}) lớn hơn “max_per_week” ({numbers[1]}) — đổi lại cho đúng.",
            )
        return Cadence(*numbers)

    def channels(self, raw, where, slug) -> tuple[Channel, ...]:
        value = raw.get("channels")
        if value is None:
            return ()
        if not isinstance(value, yamlfile.LineDict):
            self.error(
                raw.line_of("channels"),
                f"{where}: “channels” không đúng dạng — liệt kê từng kênh ({', '.join(channel_names())}) kèm các khoá của nó.",
            )
            return ()
        channels = []
        names = channel_names()
        for platform, settings in value.items():
            line = value.line_of(platform)
            spec = platforms.get(platform)
            if spec is None:
                self.error(
                    line,
                    f"{where}: kênh “{platform}” không được hỗ trợ — {suggest_key(platform, names)} (các kênh: {', '.join(names)}).",
                )
                continue
            if not isinstance(settings, yamlfile.LineDict):
                self.error(
                    line,
                    f"{where}: kênh “{platform}” không đúng dạng — viết các khoá {', '.join(spec.required)} thụt lề dưới tên kênh.",
                )
                continue
            cwhere = f"{where}, kênh “{platform}”,"
            self.keys(settings, spec.keys, cwhere)
            ok = True
            for key in spec.required:
                if settings.get(key) in (None, ""):
                    self.error(settings.line, f"{cwhere} thiếu “{key}” — thêm dòng “{key}: …”.")
                    ok = False
            for key, val in settings.items():
                if key.endswith("_env") and (not isinstance(val, str) or not ENV_RE.match(val)):
                    self.error(
                        settings.line_of(key),
                        f"{cwhere} “{key}” phải là tên một biến môi trường — viết tên viết hoa (ví dụ “FB_TOKEN”) "
                        f"và đặt giá trị token vào biến đó trong mục Secrets, không ghi token vào tệp.",
                    )
                    ok = False
                if key in spec.booleans and not isinstance(val, bool):
                    self.error(
                        settings.line_of(key),
                        f"{cwhere} “{key}” không hợp lệ — viết true hoặc false.",
                    )
                    ok = False
                allowed = spec.choices.get(key)
                if allowed is not None and val not in allowed:
                    self.error(
                        settings.line_of(key),
                        f"{cwhere} “{key}” không hợp lệ — dùng một trong {', '.join(allowed)}.",
                    )
                    ok = False
            if ok:
                clean = {k: (nfc(v) if isinstance(v, str) else v) for k, v in settings.items()}
                channels.append(Channel(platform, str(clean[spec.account_key]), clean, slug))
        return tuple(channels)


def parse(text: str, path: str = "content/units.yml") -> Registry:
    """Validate the registry's text; raise ``RegistryError`` naming every problem."""
    check = _Validator(path)
    try:
        data = yamlfile.load(text)
    except yamlfile.YamlProblem as exc:
        for problem in exc.all():
            check.error(problem.line, f"YAML không hợp lệ: {problem.problem} — sửa dòng này.")
        raise RegistryError(check.findings) from None
    if not isinstance(data, yamlfile.LineDict):
        check.error(1, "tệp phải có hai phần “department” và “units” — xem README.md.")
        raise RegistryError(check.findings)
    check.keys(data, TOP_KEYS, "tệp")
    department = None
    if "department" not in data:
        check.error(1, "thiếu phần “department” (công đoàn cấp cục) — thêm phần này ở đầu tệp.")
    else:
        department = check.unit(data["department"], is_department=True)
    raw_units = data.get("units")
    units: list[Unit] = []
    if not isinstance(raw_units, list) or not raw_units:
        check.error(
            data.line_of("units"),
            "thiếu danh sách “units” (các công đoàn cơ sở thành viên) — thêm ít nhất một đơn vị.",
        )
    else:
        for raw in raw_units:
            unit = check.unit(raw, is_department=False)
            if unit is not None:
                units.append(unit)
    topics = parse_topics(data.get("topics"), data.line_of("topics") if "topics" in data else 1, check.error)
    seen: dict[str, int] = {}
    for unit in ([department] if department else []) + units:
        if not unit.slug:
            continue
        if unit.slug in seen:
            check.error(
                unit.line,
                f"slug “{unit.slug}” bị trùng (đã dùng ở dòng {seen[unit.slug]}) — mỗi đơn vị cần một slug riêng.",
            )
        else:
            seen[unit.slug] = unit.line
    if check.findings:
        raise RegistryError(check.findings)
    assert department is not None
    return Registry(path=path, department=department, units=tuple(units), topics=topics)


def load(path: str | Path, display: str | None = None) -> Registry:
    """Read and validate the registry file at ``path`` (named ``display`` in messages)."""
    path = Path(path)
    shown = display or str(path)
    try:
        text = contentfs.read_config_text(path)
    except contentfs.ContentProblem as exc:
        raise RegistryError([Finding(shown, None, f"tệp {exc}.", code="units")]) from None
    except FileNotFoundError:
        raise RegistryError(
            [
                Finding(
                    shown,
                    None,
                    "không tìm thấy tệp danh sách đơn vị — tạo tệp này (xem README.md).",
                    code="units",
                )
            ]
        ) from None
    except UnicodeDecodeError:
        raise RegistryError(
            [Finding(shown, None, "tệp không phải UTF-8 — lưu lại với mã hoá UTF-8.", code="units")]
        ) from None
    return parse(text, shown)
