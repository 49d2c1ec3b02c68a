"""The article contract: YAML front matter between ``---`` lines, then Markdown.

``parse_document`` turns a file's text into typed fields and findings; the
Pelican reader and ``loa check`` both use it, so the build and the check can
never disagree about what a valid article is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from loa import yamlfile
from loa.contentfs import content_relative
from loa.findings import ERROR, WARNING, Finding
from loa.frontmatter import fields
from loa.frontmatter.event import parse_event
from loa.frontmatter.fields import ARTICLE_FIELDS, PAGE_FIELDS, STATUSES, SUMMARY_MAX, TITLE_MAX
from loa.frontmatter.gallery import parse_gallery
from loa.frontmatter.limits import MAX_FRONT_MATTER, body_findings
from loa.frontmatter.video import parse_video
from loa.suggest import closest
from loa.units.registry import channel_names
from loa.vietnamese import localize, nfc, slugify, strip_invisible

FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
RESERVED_ARTICLE_SLUGS = ("page", "feeds", "index")

# What each field is called in Vietnamese, and how to add it: ``fields``.
FIELD_LABELS = {name: spec.noun for name, spec in fields.BY_NAME.items()}


@dataclass
class Document:
    """A parsed article or page: typed fields, the Markdown body and what is wrong."""

    path: str
    kind: str = "article"
    file: str | None = None  # the absolute path, when known (``path`` is for messages)
    fields: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)
    front_matter_line: int = 1

    @property
    def ok(self) -> bool:
        """True when nothing blocks the build."""
        return not any(f.is_error for f in self.findings)

    def body_position(self, offset: int) -> tuple[int, int]:
        """The (line, column) in the file of an offset into ``body``."""
        before = self.body[:offset]
        line = self.body_line + before.count("\n")
        column = offset - (before.rfind("\n") + 1) + 1
        return line, column

    def line_of(self, key: str) -> int:
        """The line where ``key`` is written (else the front matter's first line)."""
        return self.lines.get(key, self.front_matter_line)

    def add(self, line: int | None, message: str, code: str, severity: str = ERROR, column=None):
        """Record a finding for this file."""
        self.findings.append(Finding(self.path, line, message, code, severity, column))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (YAML text or None, body, 1-based line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if FENCE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return "", "", len(lines) + 1  # an opening fence that never closes


def parse_date(value) -> dt.datetime | None:
    """An aware datetime in Vietnam time from YAML's value, or None if it is not a date."""
    if isinstance(value, dt.datetime):
        return localize(value)
    if isinstance(value, dt.date):
        return localize(dt.datetime(value.year, value.month, value.day))
    if not isinstance(value, str):
        return None
    text = value.strip().replace("/", "-")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return localize(parsed)


def slug_from_filename(path: str) -> str:
    """The slug a file name gives: ``2026-11-20-hoi-nghi.md`` → ``hoi-nghi``."""
    stem = nfc(PurePath(path).stem)
    return slugify(DATE_PREFIX.sub("", stem))


def _suggest(key: str, allowed) -> str:
    close = closest(key, allowed)
    return f"có phải “{close}”? Sửa tên trường" if close else "xoá trường này hoặc sửa tên"


def _string(doc: Document, data, key: str, required: bool = False) -> str | None:
    value = data.get(key)
    label = FIELD_LABELS.get(key, key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            doc.add(doc.front_matter_line, fields.BY_NAME[key].missing_message(), "missing-field")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        doc.add(
            doc.line_of(key),
            f"Trường “{key}” ({label}) phải là một dòng chữ — viết trên một dòng, đặt trong ngoặc kép nếu có dấu “:”.",
            "field-type",
        )
        return None
    return nfc(str(value).strip())


def _string_list(doc: Document, data, key: str) -> list[str] | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        sep = ";" if ";" in value else ","
        items = [v.strip() for v in value.split(sep)]
    elif isinstance(value, list) and all(
        isinstance(v, (str, int)) and not isinstance(v, bool) for v in value
    ):
        items = [str(v).strip() for v in value]
    else:
        doc.add(
            doc.line_of(key),
            f"Trường “{key}” phải là danh sách chữ, ví dụ “{key}: [a, b]” hoặc mỗi mục một dòng “- a”.",
            "field-type",
        )
        return None
    return [nfc(v) for v in items if v]


def _check_keys(doc: Document, data, allowed) -> None:
    for key in data:
        if key not in allowed:
            doc.add(
                doc.line_of(key),
                f"Trường “{key}” không được hỗ trợ — {_suggest(str(key), allowed)} (các trường: {', '.join(allowed)}).",
                "unknown-field",
            )


# A slug is a folder name of the built site: under the 255 bytes of one name,
# with room for what Pelican and the theme add.
MAX_SLUG_BYTES = 200


def _no_empty_slugs(doc: Document, key: str, names: list[str], label: str, folder: str) -> None:
    """A tag or author whose name has no letter or digit would get the address ``/{folder}//``."""
    for name in names:
        slug = slugify(name)
        if not slug:
            doc.add(
                doc.line_of(key),
                f"{label} “{name}” không có chữ cái hay chữ số nào để làm địa chỉ trang "
                f"(/{folder}/…/) — viết tên {label.lower()} bằng chữ.",
                "empty-slug",
            )
        elif len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
            doc.add(
                doc.line_of(key),
                f"{label} “{name[:40]}…” dài quá: địa chỉ trang /{folder}/…/ sẽ có "
                f"{len(slug.encode('utf-8'))} ký tự, quá {MAX_SLUG_BYTES} — rút gọn tên {label.lower()}.",
                "slug",
            )


def _syndicate(doc: Document, data):
    value = data.get("syndicate")
    if value is None or value is True:
        return None
    if value is False:
        return False
    names = value if isinstance(value, list) else ([value] if isinstance(value, str) else None)
    if names is None:
        doc.add(
            doc.line_of("syndicate"),
            "Trường “syndicate” phải là false hoặc danh sách kênh, ví dụ “syndicate: [facebook, zalo]”.",
            "field-type",
        )
        return None
    out = []
    known = channel_names()
    for raw in names:
        name = str(raw).strip().lower()
        if name not in known:
            close = closest(name, known)
            hint = f"có phải “{close}”? " if close else ""
            doc.add(
                doc.line_of("syndicate"),
                f"Kênh “{name}” trong “syndicate” không tồn tại — {hint}các kênh: {', '.join(known)}.",
                "unknown-channel",
            )
        else:
            out.append(name)
    return out


def _social_text(doc: Document, data):
    value = data.get("social_text")
    if value is None:
        return None
    if isinstance(value, str):
        return nfc(value.strip())
    if isinstance(value, dict):
        out = {}
        known = channel_names()
        for name, text in value.items():
            if name not in known:
                doc.add(
                    value.line_of(name)
                    if hasattr(value, "line_of")
                    else doc.line_of("social_text"),
                    f"Kênh “{name}” trong “social_text” không tồn tại — các kênh: {', '.join(known)}.",
                    "unknown-channel",
                )
            elif not isinstance(text, str):
                doc.add(
                    doc.line_of("social_text"),
                    f"“social_text.{name}” phải là một đoạn chữ.",
                    "field-type",
                )
            else:
                out[name] = nfc(text.strip())
        return out
    doc.add(
        doc.line_of("social_text"),
        "Trường “social_text” phải là một đoạn chữ, hoặc từng kênh một (ví dụ “social_text: {x: …}”).",
        "field-type",
    )
    return None


def parse_document(text: str, path: str, kind: str = "article") -> Document:
    """Parse a Markdown file's text (already decoded) into a ``Document``.

    ``kind`` is "article" or "page". The text is NFC-normalised first, so a file
    saved in NFD gives exactly the same result as its NFC twin. The body is
    measured against ``loa.frontmatter.limits`` (shapes that would exhaust the
    Markdown converter are errors).
    """
    doc = _parse(text, path, kind)
    if doc.body:
        doc.findings.extend(body_findings(doc.path, doc.body, doc.body_line))
    return doc


def _parse(text: str, path: str, kind: str) -> Document:
    doc = Document(path=path, kind=kind)
    # NFC, and no invisible characters: what readers and search see is what was meant.
    text = strip_invisible(nfc(text.replace("\r\n", "\n").replace("\r", "\n")))
    front, body, body_line = split_front_matter(text)
    doc.body, doc.body_line = body, body_line
    if front is None:
        doc.add(
            1,
            "Thiếu phần thông tin đầu bài — mở đầu tệp bằng dòng “---”, các trường title/date/author/summary, rồi một dòng “---” (xem CONTRIBUTING.md).",
            "front-matter",
        )
        return doc
    if body_line > len(text.split("\n")) and not body:
        doc.add(
            1,
            "Phần thông tin đầu bài không có dòng “---” kết thúc — thêm dòng “---” sau trường cuối cùng.",
            "front-matter",
        )
        return doc
    if len(front) > MAX_FRONT_MATTER:
        doc.add(
            1,
            f"Phần thông tin đầu bài dài {len(front):_} ký tự, quá {MAX_FRONT_MATTER:_} — "
            "chuyển nội dung dài xuống phần bài viết.".replace("_", "."),
            "front-matter",
        )
        return doc
    try:
        data = yamlfile.load(front, line_offset=1)
    except yamlfile.YamlProblem as exc:
        for problem in exc.all():
            doc.add(
                problem.line,
                f"Thông tin đầu bài sai cú pháp YAML: {problem.problem} — sửa dòng {problem.line}.",
                "yaml",
                column=problem.column,
            )
        return doc
    if data is None:
        data = yamlfile.LineDict()
        data.line, data.lines = 2, {}
    if not isinstance(data, yamlfile.LineDict):
        doc.add(
            2,
            "Thông tin đầu bài phải là các dòng “tên: giá trị” — xem mẫu trong CONTRIBUTING.md.",
            "yaml",
        )
        return doc
    doc.lines = dict(data.lines)
    doc.front_matter_line = 1
    if kind == "page":
        _parse_page(doc, data)
    else:
        _parse_article(doc, data)
    return doc


def _parse_page(doc: Document, data) -> None:
    _check_keys(doc, data, PAGE_FIELDS)
    f = doc.fields
    f["title"] = _string(doc, data, "title", required=True)
    for key in ("summary", "template", "image", "image_alt"):
        f[key] = _string(doc, data, key)
    slug = _string(doc, data, "slug")
    f["slug"] = slugify(slug) if slug else slug_from_filename(doc.path)
    status = _string(doc, data, "status") or "published"
    if status not in ("published", "hidden", "draft"):
        doc.add(
            doc.line_of("status"),
            f"“status: {status}” không hợp lệ — dùng published, hidden hoặc draft.",
            "field-value",
        )
    f["status"] = status
    order = data.get("order")
    if order is not None:
        f["order"] = order if isinstance(order, int) else 0


def _parse_article(doc: Document, data) -> None:
    _check_keys(doc, data, ARTICLE_FIELDS)
    _article_title(doc, data)
    _article_dates(doc, data)
    _article_people(doc, data)
    _article_source_and_pictures(doc, data)
    _article_status_and_slug(doc, data)
    f = doc.fields
    f["syndicate"] = _syndicate(doc, data)
    f["social_text"] = _social_text(doc, data)
    _article_id(doc, data)
    if "event" in data:
        f["event"] = parse_event(data["event"], doc.add, doc.line_of)
    _article_question(doc, data)


def _article_question(doc: Document, data) -> None:
    """A *hỏi đáp*: ``question`` and ``topic`` together; ``legal_basis`` links (checked as links)."""
    f = doc.fields
    f["question"] = _string(doc, data, "question")
    f["topic"] = _string(doc, data, "topic")
    f["legal_basis"] = _string_list(doc, data, "legal_basis") or []
    limit = fields.BY_NAME["question"].max_length
    if f["question"] and len(f["question"]) > limit:
        doc.add(
            doc.line_of("question"),
            fields.BY_NAME["question"].too_long_message(len(f["question"])),
            "question-length",
        )
    if bool(f["question"]) != bool(f["topic"]):
        there, missing = ("question", "topic") if f["question"] else ("topic", "question")
        doc.add(
            doc.line_of(there),
            f"Bài hỏi đáp cần cả “question” (câu hỏi) và “topic” (chủ đề) — thêm dòng “{missing}: …”.",
            "question",
        )


ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{7,63}")


def _article_id(doc: Document, data) -> None:
    """The article's identity across renames and retitles (``loa new`` writes one)."""
    value = _string(doc, data, "id")
    if value and not ARTICLE_ID.fullmatch(value):
        doc.add(
            doc.line_of("id"),
            f"Mã bài “{value[:80]}” không hợp lệ — mã chỉ gồm chữ cái không dấu, số và dấu "
            "gạch ngang, dài 8–64 ký tự; giữ nguyên mã cũ, hoặc xoá dòng “id:” nếu không rõ.",
            "field-value",
        )
        value = None
    doc.fields["id"] = value


def _article_title(doc: Document, data) -> None:
    """The title, within Zalo's limit."""
    f = doc.fields
    f["title"] = _string(doc, data, "title", required=True)
    if f["title"] and len(f["title"]) > TITLE_MAX:
        message = fields.BY_NAME["title"].too_long_message(len(f["title"]))
        doc.add(doc.line_of("title"), message, "title-length")


def _article_dates(doc: Document, data) -> None:
    """``date`` (required) and ``modified``, in Vietnam time."""
    f = doc.fields
    raw_date = data.get("date")
    if raw_date is None or raw_date == "":
        doc.add(doc.front_matter_line, fields.BY_NAME["date"].missing_message(), "missing-field")
    else:
        f["date"] = parse_date(raw_date)
        if f["date"] is None:
            doc.add(
                doc.line_of("date"),
                f"Ngày “{raw_date}” không đọc được — viết theo dạng “2026-11-26 08:00” hoặc “2026-11-26T08:00:00+07:00”.",
                "date",
            )
    if "modified" in data:
        f["modified"] = parse_date(data["modified"])
        if f["modified"] is None:
            doc.add(
                doc.line_of("modified"),
                f"Ngày sửa “{data['modified']}” không đọc được — viết theo dạng “2026-11-26 08:00”.",
                "date",
            )


def _article_people(doc: Document, data) -> None:
    """Authors, summary and tags; names that would make an empty address refused."""
    f = doc.fields
    authors = _string_list(doc, data, "authors") or []
    author = _string(doc, data, "author")
    if author:
        authors = [author, *[a for a in authors if a != author]]
    if not authors and "authors" not in data and "author" not in data:
        doc.add(doc.front_matter_line, fields.BY_NAME["author"].missing_message(), "missing-field")
    elif not authors:
        doc.add(
            doc.line_of("author" if "author" in data else "authors"),
            "Trường tác giả đang để trống — ghi họ tên người viết.",
            "missing-field",
        )
    f["authors"] = authors

    f["summary"] = _string(doc, data, "summary", required=True)
    if f["summary"] and len(f["summary"]) > SUMMARY_MAX:
        message = fields.BY_NAME["summary"].too_long_message(len(f["summary"]))
        doc.add(doc.line_of("summary"), message, "summary-length")

    f["tags"] = _string_list(doc, data, "tags") or []
    _no_empty_slugs(doc, "tags", f["tags"], "Chủ đề", "chu-de")
    _no_empty_slugs(
        doc, "author" if "author" in data else "authors", f["authors"], "Tác giả", "tac-gia"
    )


def _article_source_and_pictures(doc: Document, data) -> None:
    """A repost's source, the cover and its alt text, the album (its first photo the default cover)."""
    f = doc.fields
    for key in ("image", "image_alt", "source", "source_url", "source_author", "source_date"):
        f[key] = _string(doc, data, key)
    f["source_full_text"] = data.get("source_full_text") is True
    if f["source"] and not f["source_url"]:
        doc.add(
            doc.line_of("source"),
            "Bài đăng lại thiếu “source_url” — thêm địa chỉ bài gốc để ghi nguồn đúng.",
            "repost-source",
        )
    if f["source_url"] and not f["source"]:
        doc.add(
            doc.line_of("source_url"),
            "Có “source_url” nhưng thiếu “source” — thêm tên cơ quan, tờ báo của bài gốc.",
            "repost-source",
        )
    if f["image"] and not f["image_alt"]:
        doc.add(doc.line_of("image"), fields.IMAGE_ALT_MISSING, "image-alt")
    if f["image"] and not content_relative(f["image"]):
        doc.add(
            doc.line_of("image"),
            f"Ảnh bìa “{f['image']}” nằm ngoài thư mục content/ — đặt ảnh vào "
            "content/images/<đơn-vị>/ và ghi “image: images/<đơn-vị>/ten-anh.jpg”.",
            "image-path",
        )
        f["image"] = None
    f["gallery"] = parse_gallery(doc, data)
    if f["gallery"] and not f["image"] and "image" not in data:
        # The cover defaults to the album's first photo.
        f["image"], f["image_alt"] = f["gallery"][0].image, f["gallery"][0].alt
    f["video"] = parse_video(doc, data)


def _article_status_and_slug(doc: Document, data) -> None:
    """``status`` (published or draft) and the slug the address is made of."""
    f = doc.fields
    status = _string(doc, data, "status") or "published"
    if status not in STATUSES:
        doc.add(
            doc.line_of("status"),
            f"“status: {status}” không hợp lệ — dùng “published” (đăng) hoặc “draft” (nháp).",
            "field-value",
        )
        status = "draft"
    f["status"] = status

    slug = _string(doc, data, "slug")
    f["slug"] = slugify(slug) if slug else slug_from_filename(doc.path)
    if not f["slug"]:
        doc.add(
            doc.line_of("slug"),
            "Không tạo được đường dẫn cho bài — đặt tên tệp dạng “2026-11-26-ten-bai.md” hoặc thêm “slug: ten-bai”.",
            "slug",
        )
    elif f["slug"] in RESERVED_ARTICLE_SLUGS:
        doc.add(
            doc.line_of("slug"),
            f"Đường dẫn “{f['slug']}” trùng với đường dẫn phân trang của trang web — đổi tên tệp hoặc thêm “slug:” khác.",
            "slug",
        )
    elif len(f["slug"].encode("utf-8")) > MAX_SLUG_BYTES:
        doc.add(
            doc.line_of("slug"),
            f"Đường dẫn “{f['slug'][:40]}…” dài {len(f['slug'].encode('utf-8'))} ký tự, quá "
            f"{MAX_SLUG_BYTES} (một tên thư mục của trang) — rút gọn “slug:” hoặc tên tệp.",
            "slug",
        )


def warn(doc: Document, line, message, code):
    """Record a warning (used by the editorial rules)."""
    doc.add(line, message, code, severity=WARNING)
