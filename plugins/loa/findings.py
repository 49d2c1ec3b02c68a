"""Findings: what a check or a build found wrong in one file, with where and how to fix."""

from __future__ import annotations

import logging
import sys
from dataclasses import asdict, dataclass, field

from loa.errors import BuildStopped

# Warnings that ``loa check --strict`` and a production build make errors when the
# site's settings name none
# (``LOA_STRICT_RULES`` in publishconf.py lists the site's own).
DEFAULT_STRICT_RULES = (
    "link-http",
    "image-alt",
    "unicode-nfc",
    "invisible",
    "bom",
    "html-style",
    "placeholder",
    "summary-title",
)


logger = logging.getLogger(__name__)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file: a single sentence that says what is wrong and the fix."""

    path: str
    line: int | None
    message: str
    code: str = "loa"
    severity: str = ERROR
    column: int | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        """True when the finding blocks a strict build."""
        return self.severity == ERROR

    def location(self) -> str:
        """``path:line:col`` as far as known."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        """``path:line:col: message``, as people read it."""
        return f"{self.location()}: {self.message}"

    def as_dict(self) -> dict:
        """A JSON-friendly copy."""
        return asdict(self)


class Collector:
    """Findings gathered during one Pelican build; reset at each run."""

    def __init__(self) -> None:
        """Start with no finding."""
        self.findings: list[Finding] = []

    def add(self, finding: Finding) -> None:
        """Record a finding (once) and log it at once so the writer sees it early."""
        if finding in self.findings:
            return
        self.findings.append(finding)
        log = logger.error if finding.is_error else logger.warning
        log("%s", finding)

    def errors(self) -> list[Finding]:
        """The findings that stop the build."""
        return [f for f in self.findings if f.is_error]

    def reset(self) -> None:
        """Forget everything (autoreload runs the build again in one process)."""
        self.findings.clear()


# One collector per process: every loa plugin of a build records into it.
build_findings = Collector()

_LEVELS = {logging.ERROR: "lỗi", logging.WARNING: "cảnh báo", logging.CRITICAL: "lỗi"}


class PlainLines(logging.Handler):
    """Loa's build messages as one plain line each: ``path:line:col: lỗi: message``.

    Pelican logs through rich, which lays a message out in columns as wide as
    the terminal — 80 in a CI log — and so cut a finding's path in two
    (``…/2025-06-01-xss findings.py:62`` then ``-bar.md:10:12``). A finding is
    read where it is printed, often in a CI log, and its path must be whole to
    be copied or clicked: this handler writes it on one line, whatever the
    width, like a compiler's message.
    """

    def emit(self, record: logging.LogRecord) -> None:
        """Write one record as one plain line."""
        try:
            level = _LEVELS.get(record.levelno, record.levelname.lower())
            args = record.args
            if isinstance(args, tuple) and len(args) == 1 and isinstance(args[0], Finding):
                finding = args[0]
                line = f"{finding.location()}: {level}: {finding.message}"
            else:
                line = f"{level}: {record.getMessage()}"
            stream = sys.stderr
            stream.write(" ".join(line.split("\n")) + "\n")
            stream.flush()
        except Exception:  # a log line must never stop a build
            self.handleError(record)


class _NotLoa(logging.Filter):
    """Keeps Loa's messages out of Pelican's rich handler (``PlainLines`` prints them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith("loa")


def plain_build_log() -> None:
    """Print Loa's build messages with ``PlainLines`` (called by each plugin's ``register``).

    Records still propagate to the root logger — Pelican's error count and
    ``--fatal``, and test log capture, see them — but Pelican's rich handler
    leaves them to this one. Idempotent.
    """
    loa = logging.getLogger("loa")
    if not any(isinstance(h, PlainLines) for h in loa.handlers):
        loa.addHandler(PlainLines())
    from rich.logging import RichHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, RichHandler) and not any(
            isinstance(f, _NotLoa) for f in handler.filters
        ):
            handler.addFilter(_NotLoa())


def autoreloading(argv: list[str] | None = None) -> bool:
    """True when Pelican runs with ``--autoreload`` (``make devserver``)."""
    for arg in sys.argv if argv is None else argv:
        if arg == "--autoreload":
            return True
        if arg.startswith("-") and not arg.startswith("--") and "r" in arg[1:]:
            return True
    return False


def stop_build(reason: str) -> None:
    """End the build with one sentence; the preview server keeps running instead."""
    if autoreloading():
        # Pelican's autoreload loop logs an exception in one line and waits for
        # the next change, which is what a writer previewing their article wants.
        raise RuntimeError(reason)
    raise BuildStopped(reason)


def start_build(*_args, **_kwargs) -> None:
    """Let this build report everything it finds (connected to ``get_generators``).

    Pelican logs a message at warning level or below only once per process. With
    ``make devserver`` every save builds again in the same process, so a warning
    still there at the next save, or the same stopped build, would go unseen.
    """
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def reset_build(*_args, **_kwargs) -> None:
    """Forget the previous run's findings (connected to ``finalized``)."""
    build_findings.reset()


def stop_on_errors(sender=None, *_args, **_kwargs) -> None:
    """Stop the build before anything is written if any loa plugin found an error.

    Connected to ``get_writer``, sent after ``all_generators_finalized`` and
    before anything is written: every article has been read and checked by
    then, so the writer sees all problems at once, not one per build.
    """
    errors = build_findings.errors()
    settings = getattr(sender, "settings", None) or {}
    if errors and settings.get("LOA_STOP_ON_ERRORS", True) is False:
        logger.warning(
            "Có %d lỗi nội dung nhưng LOA_STOP_ON_ERRORS = False: vẫn dựng trang.", len(errors)
        )
        return
    if errors:
        build_findings.reset()
        stop_build(
            f"Dừng dựng trang: có {len(errors)} lỗi trong nội dung (xem các dòng ở trên) — "
            f"sửa từng lỗi rồi dựng lại; “loa check” liệt kê chúng mà không cần dựng trang."
        )
