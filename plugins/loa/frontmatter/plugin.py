"""Pelican side of ``loa.frontmatter``: the reader and the findings it carries."""

from __future__ import annotations

from pelican import signals

from loa.findings import build_findings, reset_build, start_build, stop_on_errors
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


def register() -> None:
    """Connect the reader and the findings report."""
    signals.readers_init.connect(add_reader)
    prefetch.register()
    signals.article_generator_context.connect(report_findings)
    signals.page_generator_context.connect(report_findings)
    signals.get_writer.connect(stop_on_errors)
    signals.get_generators.connect(start_build)
    signals.finalized.connect(reset_build)
