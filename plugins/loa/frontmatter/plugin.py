"""Pelican side of ``loa.frontmatter``: the reader and the findings it carries."""

from __future__ import annotations

from pelican import signals
from pelican.contents import Article

from loa import clock
from loa.findings import (
    build_findings,
    plain_build_log,
    reset_build,
    start_build,
    stop_build,
    stop_on_errors,
)
from loa.frontmatter import prefetch
from loa.frontmatter.reader import FINDINGS_KEY, LoaMarkdownReader


def add_reader(readers) -> None:
    """Read ``.md`` files with YAML front matter (``readers_init``); no reStructuredText."""
    for extension in LoaMarkdownReader.file_extensions:
        readers.reader_classes[extension] = LoaMarkdownReader


def report_findings(_generator, metadata: dict) -> None:
    """Record what the reader found (``*_generator_context``).

    Runs on every build, cached or not: the findings travel inside the cached
    metadata, so a broken article can never slip through a warm cache.
    """
    for finding in metadata.pop(FINDINGS_KEY, None) or ():
        build_findings.add(finding)


def take_over_future_dates(pelican) -> None:
    """Decide with the one clock which articles are not due yet (``initialized``).

    Pelican's ``WITH_FUTURE_DATES = False`` compares each date with the
    machine's clock; Loa compares it with ``loa.clock`` instead, so a build with
    ``LOA_NOW`` set shows the site as it will be (or was) at that moment. The
    setting keeps its meaning: it is read here, and Pelican is told to leave
    the decision to ``hold_future``. A ``LOA_NOW`` that is not a time stops
    the build with one sentence.
    """
    settings = pelican.settings
    try:
        clock.now()
    except clock.ClockError as exc:
        stop_build(str(exc))
    if not settings.get("WITH_FUTURE_DATES", True):
        settings["WITH_FUTURE_DATES"] = True
        settings["LOA_HOLD_FUTURE"] = True


def hold_future(content) -> None:
    """An article dated after ``loa.clock.now()`` waits as a draft (``content_object_init``)."""
    if (
        isinstance(content, Article)
        and content.settings.get("LOA_HOLD_FUTURE")
        and content.status != "draft"
        and getattr(content, "date", None) is not None
        and clock.localize(content.date) > clock.now()
    ):
        content.status = "draft"
        # Said in the manifest ("next_article"): the hourly deploy rebuilds when it comes due.
        content.held_until = clock.localize(content.date)


def register() -> None:
    """Connect the reader and the findings report."""
    plain_build_log()
    signals.initialized.connect(take_over_future_dates)
    signals.content_object_init.connect(hold_future)
    signals.readers_init.connect(add_reader)
    prefetch.register()
    signals.article_generator_context.connect(report_findings)
    signals.page_generator_context.connect(report_findings)
    signals.get_writer.connect(stop_on_errors)
    signals.get_generators.connect(start_build)
    signals.finalized.connect(reset_build)
