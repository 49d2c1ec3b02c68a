"""The official sources registry (``content/sources.yml``): link allowlist, repost feeds, terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from loa import contentfs, yamlfile
from loa.findings import Finding
from loa.units.registry import SLUG_RE, RegistryError
from loa.units.registry import suggest_key as suggest
from loa.vietnamese import nfc

TERMS = ("summary", "full_text")
SOURCE_KEYS = ("slug", "name", "domains", "feeds", "terms", "agreement", "https")
TOP_KEYS = ("sources", "allow", "embeds")
_HOST_RE = re.compile(r"^(=|\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$")


@dataclass(frozen=True)
class DomainRule:
    """One allowlist entry: ``example.vn`` (and sub-domains), ``=example.vn`` or ``*.example.vn``."""

    pattern: str
    https: bool = True
    source: str = ""

    def matches(self, host: str) -> bool:
        """True when ``host`` is allowed by this rule."""
        host = host.lower().rstrip(".")
        if self.pattern.startswith("="):
            return host == self.pattern[1:]
        if self.pattern.startswith("*."):
            return host.endswith(self.pattern[1:])
        return host == self.pattern or host.endswith("." + self.pattern)


@dataclass(frozen=True)
class Source:
    """An official source whose articles may be linked and reposted."""

    slug: str
    name: str
    domains: tuple[str, ...]
    feeds: tuple[str, ...]
    terms: str = "summary"
    agreement: str = ""


@dataclass(frozen=True)
class Sources:
    """All official sources, the extra allowed domains and embed hosts."""

    path: str
    sources: tuple[Source, ...]
    rules: tuple[DomainRule, ...]
    embeds: tuple[str, ...]

    def rule_for(self, host: str) -> DomainRule | None:
        """The allowlist rule that allows ``host``, if any."""
        return next((r for r in self.rules if r.matches(host)), None)

    def allows(self, host: str) -> bool:
        """True when a link to ``host`` is allowed."""
        return self.rule_for(host) is not None

    def source_for(self, host: str) -> Source | None:
        """The official source that owns ``host``, if any."""
        rule = self.rule_for(host)
        if rule is None or not rule.source:
            return None
        return self.get(rule.source)

    def get(self, slug: str) -> Source | None:
        """The source called ``slug``."""
        return next((s for s in self.sources if s.slug == slug), None)

    def embed_allowed(self, host: str) -> bool:
        """True when an iframe from ``host`` may stay."""
        return host.lower() in self.embeds


EMPTY = Sources(path="", sources=(), rules=(), embeds=())


def _source(raw, error, host_ok, seen: set) -> tuple[Source, list[DomainRule]] | None:
    """One entry of ``sources``: its keys checked, its domains and terms; None when unusable."""
    if not isinstance(raw, yamlfile.LineDict):
        error(
            getattr(raw, "line", 1),
            "mỗi nguồn phải có slug, name, domains — xem chú thích đầu tệp.",
        )
        return None
    for key in raw:
        if key not in SOURCE_KEYS:
            error(
                raw.line_of(key),
                f"nguồn “{raw.get('slug')}” có khoá “{key}” không hợp lệ — {suggest(str(key), SOURCE_KEYS)}.",
            )
    slug = str(raw.get("slug") or "")
    if not SLUG_RE.match(slug):
        error(
            raw.line,
            f"nguồn ở dòng {raw.line} thiếu “slug” hợp lệ — thêm “slug: ten-nguon” (chữ thường không dấu).",
        )
        return None
    if slug in seen:
        error(raw.line, f"slug nguồn “{slug}” bị trùng — mỗi nguồn cần một slug riêng.")
    seen.add(slug)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        error(raw.line, f"nguồn “{slug}” thiếu “name” — thêm tên cơ quan, tờ báo.")
        name = slug
    domains = raw.get("domains") or []
    if isinstance(domains, str):
        domains = [domains]
    if not domains:
        error(raw.line, f"nguồn “{slug}” thiếu “domains” — thêm ít nhất một tên miền.")
    domains = [d.strip().lower() for d in domains if host_ok(d, raw.line_of("domains"))]
    feeds = raw.get("feeds") or []
    if isinstance(feeds, str):
        feeds = [feeds]
    terms = raw.get("terms", "summary")
    agreement = str(raw.get("agreement") or "")
    if terms not in TERMS:
        error(
            raw.line_of("terms"),
            f"nguồn “{slug}”: “terms: {terms}” không hợp lệ — dùng “summary” hoặc “full_text”.",
        )
        terms = "summary"
    if terms == "full_text" and not agreement.strip():
        error(
            raw.line_of("terms"),
            f"nguồn “{slug}” cho đăng toàn văn nhưng thiếu “agreement” — ghi số, ngày của văn bản thoả thuận, hoặc đổi thành “terms: summary”.",
        )
    https = raw.get("https", True) is not False
    source = Source(
        slug,
        nfc(name.strip()),
        tuple(domains),
        tuple(str(f) for f in feeds),
        terms,
        nfc(agreement),
    )
    return source, [DomainRule(d, https, slug) for d in domains]


def parse(text: str, path: str = "content/sources.yml") -> Sources:
    """Validate ``sources.yml``; raise ``RegistryError`` with one sentence per problem."""
    findings: list[Finding] = []

    def error(line: int, message: str) -> None:
        findings.append(Finding(path, line, message, code="sources"))

    try:
        data = yamlfile.load(text)
    except yamlfile.YamlProblem as exc:
        raise RegistryError(
            [
                Finding(
                    path,
                    problem.line,
                    f"YAML không hợp lệ: {problem.problem} — sửa dòng này.",
                    code="sources",
                )
                for problem in exc.all()
            ]
        ) from None
    if data is None:
        return Sources(path, (), (), ())
    if not isinstance(data, yamlfile.LineDict):
        raise RegistryError(
            [
                Finding(
                    path,
                    1,
                    "tệp phải có các phần “sources”, “allow”, “embeds” — xem chú thích đầu tệp.",
                    code="sources",
                )
            ]
        )
    for key in data:
        if key not in TOP_KEYS:
            error(data.line_of(key), f"phần “{key}” không hợp lệ — {suggest(str(key), TOP_KEYS)}.")

    def host_ok(host, line) -> bool:
        if not isinstance(host, str) or not _HOST_RE.match(host.strip().lower()):
            error(
                line,
                f"tên miền “{host}” không hợp lệ — viết dạng “vi-du.gov.vn”, “=vi-du.vn” hoặc “*.gov.vn”, không kèm https://.",
            )
            return False
        return True

    sources, rules = [], []
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        error(
            data.line_of("sources"),
            "“sources” phải là danh sách — mỗi nguồn bắt đầu bằng “- slug: …”.",
        )
        raw_sources = []
    seen = set()
    for raw in raw_sources:
        made = _source(raw, error, host_ok, seen)
        if made is not None:
            sources.append(made[0])
            rules.extend(made[1])
    allow = data.get("allow") or []
    for index, entry in enumerate(allow if isinstance(allow, list) else []):
        line = allow.lines[index] if hasattr(allow, "lines") else 1
        if host_ok(entry, line):
            rules.append(DomainRule(entry.strip().lower()))
    embeds = data.get("embeds") or []
    embed_hosts = tuple(e.strip().lower() for e in embeds if host_ok(e, data.line_of("embeds")))
    if findings:
        raise RegistryError(findings)
    return Sources(path, tuple(sources), tuple(rules), embed_hosts)


def load_sources(path: str | Path, display: str | None = None) -> Sources:
    """Read ``sources.yml``; a missing file allows no external link at all."""
    path = Path(path)
    shown = display or str(path)
    if not path.exists() and not path.is_symlink():
        return Sources(shown, (), (), ())
    try:
        text = contentfs.read_config_text(path)
    except (contentfs.ContentProblem, OSError, UnicodeDecodeError) as exc:
        problem = exc if isinstance(exc, contentfs.ContentProblem) else "không đọc được (cần UTF-8)"
        raise RegistryError([Finding(shown, None, f"tệp {problem}.", code="sources")]) from None
    return parse(text, shown)
