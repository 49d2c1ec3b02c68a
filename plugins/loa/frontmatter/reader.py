"""A Markdown reader for YAML front matter, in NFC, with findings instead of tracebacks."""

from __future__ import annotations

import html
import logging
import os

from markdown import Markdown
from markupsafe import Markup
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Author, Tag

from loa import contentfs
from loa.findings import Finding
from loa.frontmatter.inline import gate_inline
from loa.frontmatter.parse import Document, parse_document
from loa.frontmatter.prefetch import take_prefetched
from loa.frontmatter.toc import ids_only

logger = logging.getLogger(__name__)

FINDINGS_KEY = "loa_findings"

# Checks that run on each file as it is read, registered by higher layers (the
# editorial rules): hook(document, text, had_bom, settings) -> (findings, extra
# metadata). Their results live in Pelican's reader cache with the article.
READ_HOOKS: list = []
# Rewrites of the HTML as it is read, registered by higher layers (the
# sanitiser): hook(html, settings) -> (html, extra metadata). Done here, the
# result is made on every core and kept in the reader cache, and the build
# holds one copy of each article's HTML, not the raw one as well.
HTML_HOOKS: list = []


def document_kind(source_path: str, settings: dict) -> str:
    """``page`` for files under ``PAGE_PATHS``, else ``article``."""
    base = settings.get("PATH", "")
    rel = os.path.relpath(source_path, base).replace(os.sep, "/")
    for page_path in settings.get("PAGE_PATHS", ["pages"]):
        if rel.startswith(page_path.rstrip("/") + "/"):
            return "page"
    return "article"


def decode(raw: bytes, path: str) -> tuple[str | None, Finding | None]:
    """UTF-8 text of a file (BOM allowed), or a finding that says how to save it."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Finding(
            path,
            line,
            "Tệp không phải mã UTF-8 (có thể lưu từ Word hay Notepad cũ) — mở tệp và lưu lại "
            "với mã hoá UTF-8.",
            code="encoding",
        )


class LoaMarkdownReader(MarkdownReader):
    """Reads ``---`` YAML front matter and a Markdown body; text is NFC from the start."""

    enabled = True
    file_extensions = ("md", "markdown")

    def _markdown(self) -> Markdown:
        config = dict(self.settings["MARKDOWN"])
        # Front matter is YAML, read by us: the "meta" extension would otherwise
        # eat a first body line that looks like "Chú ý: ...".
        config["extensions"] = [
            e for e in config.get("extensions", []) if e != "markdown.extensions.meta"
        ]
        return ids_only(gate_inline(Markdown(**config)))

    def read(self, source_path):
        """Return (HTML, metadata); a broken file is skipped and its findings travel in metadata."""
        prefetched = take_prefetched(self, source_path)
        content, metadata = prefetched if prefetched is not None else self.read_plain(source_path)
        return content, self.with_objects(metadata)

    def with_objects(self, metadata: dict) -> dict:
        """Author and Tag objects in place of the names ``read_plain`` returns."""
        for key, cls in (("authors", Author), ("tags", Tag)):
            names = metadata.pop(f"_loa_{key}", None)
            if names:
                metadata[key] = [cls(name, self.settings) for name in names]
        return metadata

    def read_plain(self, source_path):
        """(HTML, metadata) of one file, with plain values only — what a worker process sends back.

        Never raises: a file that cannot be read, is too big or too complex, or
        breaks the converter in a way nobody foresaw is skipped with an error
        finding, which stops the build — never a dropped article and exit 0.
        """
        path = os.path.relpath(source_path)
        try:
            return self._read_plain(source_path, path)
        except RecursionError:
            problem = "lồng quá sâu để dựng trang — bớt số cấp danh sách, trích dẫn hay ngoặc"
        except MemoryError:
            problem = "quá lớn để dựng trang — chia thành nhiều bài ngắn hơn"
        except Exception as exc:  # any other failure: one sentence, the build stops
            problem = (
                f"không dựng được ({exc.__class__.__name__}) — kiểm tra lại tệp; nếu không thấy "
                "lỗi, báo cho người quản trị trang kèm tệp này"
            )
        return "", {
            "title": path,
            "status": "skip",
            FINDINGS_KEY: [Finding(path, None, f"Tệp {problem}.", "unreadable")],
        }

    def _read_plain(self, source_path, path):
        self._source_path = source_path
        base = self.settings.get("PATH")
        if base and not contentfs.inside_fast(base, source_path):
            return "", {
                "title": path,
                "status": "skip",
                FINDINGS_KEY: [
                    Finding(
                        path,
                        None,
                        "Tệp là liên kết tượng trưng (symlink) hoặc nằm ngoài thư mục content/ — "
                        "thay bằng tệp thật trong thư mục của đơn vị.",
                        "symlink",
                    )
                ],
            }
        try:
            raw = contentfs.read_limited(source_path, contentfs.MAX_ARTICLE_BYTES)
        except contentfs.ContentProblem as exc:
            return "", {
                "title": path,
                "status": "skip",
                FINDINGS_KEY: [
                    Finding(path, None, f"Tệp {exc} — chia thành nhiều bài ngắn hơn.", "file-size")
                ],
            }
        text, problem = decode(raw, path)
        if problem is not None:
            return "", {"title": path, "status": "skip", FINDINGS_KEY: [problem]}
        doc = parse_document(text, path, document_kind(source_path, self.settings))
        doc.file = source_path
        if not doc.ok:
            return "", {
                "title": doc.fields.get("title") or path,
                "status": "skip",
                FINDINGS_KEY: doc.findings,
            }
        # One Markdown instance per reader, reset between files: building one
        # (extensions, patterns) costs a quarter of converting a typical article.
        if getattr(self, "_loa_md", None) is None:
            self._loa_md = self._markdown()
        self._md = self._loa_md.reset()
        content = self._md.convert(doc.body)
        metadata = self.pelican_metadata(doc)
        findings = list(doc.findings)
        for hook in READ_HOOKS:
            more, extra = hook(doc, text, raw.startswith(b"\xef\xbb\xbf"), self.settings)
            findings.extend(more)
            metadata.update(extra)
        if findings:
            metadata[FINDINGS_KEY] = findings
        for hook in HTML_HOOKS:
            content, extra = hook(content, self.settings)
            metadata.update(extra)
        return content, metadata

    def pelican_metadata(self, doc: Document) -> dict:
        """Pelican's metadata from a parsed document: Author and Tag objects, HTML summary."""
        f = doc.fields
        meta: dict = {}
        for key in ("title", "date", "modified", "status", "slug", "image", "image_alt",
                    "source", "source_url", "source_author", "source_date", "template", "order", "event",
                    "question", "topic"):  # fmt: skip
            if f.get(key) is not None:
                meta[key] = f[key]
        # Names only here: ``with_objects`` makes the Author and Tag objects,
        # which carry the settings and are not worth sending between processes.
        if f.get("authors"):
            meta["_loa_authors"] = list(f["authors"])
        if f.get("tags"):
            meta["_loa_tags"] = list(f["tags"])
        if f.get("summary"):
            meta["summary"] = Markup(html.escape(f["summary"], quote=False))
            meta["summary_text"] = f["summary"]
        meta["source_full_text"] = bool(f.get("source_full_text"))
        if f.get("legal_basis"):
            meta["legal_basis"] = tuple(f["legal_basis"])
        if f.get("gallery"):
            meta["gallery"] = tuple(f["gallery"])
        if f.get("video"):
            meta["video"] = f["video"]
        # Syndication settings are kept as written (None = default routing).
        meta["syndicate"] = f.get("syndicate")
        if f.get("id"):
            meta["loa_id"] = f["id"]
        meta["social_text"] = f.get("social_text")
        return meta
