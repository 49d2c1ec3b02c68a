"""Writing pages on every core: Pelican's writer, with rendering spread over forked processes.

Pelican renders and writes each page as its generator asks for it, one after
another; on a large site that is most of the build. This writer keeps Pelican's
behaviour (same pagination, same context, same refusal to write a file twice,
``content_written`` for every page, in order) but only *records* each page when
asked, and renders the recorded pages in one go at ``flush()``: the main
process renders a share and forked children the rest, all reading the same
finished context (copy-on-write). ``flush`` runs when the articles generator
and then the pages generator are done; after that, pages are written at once.
When this process renders everything itself (one core, or the other cores
held by the search helper: ``loa.parallel``), pages are rendered ``BATCH`` at
a time as they are recorded.

A page whose fingerprint is the same as in the last build is not rendered
again: the last build's file is kept (``loa.pagestore``).

How many processes, and from how many pages on: ``loa.parallel``.

The cyclic garbage collector is paused from ``get_generators`` to
``finalized`` (``loa.collector``); forked rendering: ``loa.rendering``.
"""

from __future__ import annotations

import logging
from collections import ChainMap

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from loa import buildstate, pagestore, parallel, rendering
from loa.buildstate import STATE, previous_output, totals

logger = logging.getLogger(__name__)

__all__ = ["ParallelWriter", "previous_output", "register", "totals"]

# Pages rendered as they come, this many at a time, when this process renders
# them all anyway: recorded pages hold their paginators and values (30 MB at
# 10,000 articles when all were kept for one flush).
BATCH = 1000


class ParallelWriter(Writer):
    """``Writer`` whose ``write_file`` defers rendering to ``flush``."""

    def __init__(self, output_path, settings=None) -> None:
        """Pelican's writer, with a place to record pages until ``flush``."""
        super().__init__(output_path, settings=settings)
        self._jobs: list[tuple] = []  # (template, (context, page values), target or None, path)
        self.immediate = False  # after the pages generator: write at once
        self._fingerprint: tuple | None = None
        self._context_copy: dict = {}
        self._prints: pagestore.Fingerprints | None = None
        self.store = (
            pagestore.PageStore(self.settings, output_path)
            if pagestore.enabled(self.settings)
            else None
        )
        if self.store is not None and STATE.aside:
            self.store.previous_root = STATE.aside
        # A build that failed half-way leaves its recorded pages behind: a new
        # build's writer replaces it, so they are never written.
        STATE.writer = self

    # Pelican 4.12's write_file, with "render and write now" replaced by _record.
    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        """Record a page (or each page of a paginated list) as Pelican's writer would write it."""
        if not name:
            return

        def _values(save_as, extra):
            # Pelican copies the whole context for every page; a recorded page
            # keeps the extra values and shares one copy of the context with
            # every page recorded while it did not change (memory: a copy of
            # a few hundred settings for each of 15,000 pages would not fit).
            local = {"localsiteurl": context.get("localsiteurl", None)}
            if relative_urls:
                relative_url = path_to_url(get_relative_path(save_as))
                local["SITEURL"] = relative_url
                local["localsiteurl"] = relative_url
            local["output_file"] = save_as
            local.update(extra)
            return self._snapshot(context), local

        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        # Pelican's own pagination loop (Writer.write_file, 4.12), pinned by
        # tests/test_upstream_pins.py: an upstream change there fails that test.
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (
                self.settings["PAGINATED_TEMPLATES"][template_name]
                or self.settings["DEFAULT_PAGINATION"]
            )
            paginators = {
                key: Paginator(name, url, val, self.settings, per_page)
                for key, val in paginated.items()
            }
            for page_num in range(next(iter(paginators.values())).num_pages):
                paginated_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    previous_page = paginator.page(page_num) if page_num > 0 else None
                    page = paginator.page(page_num + 1)
                    next_page = (
                        paginator.page(page_num + 2) if page_num + 1 < paginator.num_pages else None
                    )
                    paginated_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": previous_page,
                            f"{key}_next_page": next_page,
                        }
                    )
                self._record(
                    template, context, _values(page.save_as, paginated_kwargs),
                    page.save_as, override_output,
                )  # fmt: skip
        else:
            self._record(template, context, _values(name, kwargs), name, override_output)

    def _create_new_feed(self, feed_type, feed_title, context):
        """Pelican's feed, in the site's language, with item ids that are not links.

        Pelican gives each item a ``tag:`` URI as its id but never says that is
        not a permalink, so RSS readers and the W3C validator take the ``<guid>``
        for a URL; and no feed says which language it is in (RSS ``<language>``,
        Atom ``xml:lang``).
        """
        feed = super()._create_new_feed(feed_type, feed_title, context)
        feed.feed["language"] = self.settings.get("DEFAULT_LANG") or "vi"
        add_item = feed.add_item

        def add_with_guid(**fields):
            fields.setdefault("unique_id_is_permalink", False)
            return add_item(**fields)

        feed.add_item = add_with_guid
        return feed

    def _snapshot(self, context: dict) -> dict:
        """A copy of ``context`` as it is now, shared while it stays the same."""
        fingerprint = (id(context), len(context), tuple(map(id, context.values())))
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self._context_copy = context.copy()
        return self._context_copy

    def _record(self, template, context, values, name, override) -> None:
        """Record one page: ``values`` is (shared context copy, this page's own values)."""
        if values[1]["localsiteurl"]:
            context["localsiteurl"] = values[1]["localsiteurl"]
        path = sanitised_join(self.output_path, name)
        # Pelican's check against writing one file twice, without opening it.
        target: str | None = path
        if path in self._overridden_files:
            if override:
                self._open_w(path, "utf-8", override=True)  # raises Pelican's own error
            logger.info('Skipping "%s", not overwriting', path)
            target = None
        elif path in self._written_files and not override:
            self._open_w(path, "utf-8", override=False)  # raises Pelican's own error
        else:
            if override and path in self._written_files:
                # This page replaces one recorded earlier: only the last is written.
                self._jobs = [
                    (*job[:2], None, job[3]) if job[2] == path else job for job in self._jobs
                ]
            if override:
                self._overridden_files.add(path)
            self._written_files.add(path)
        self._jobs.append((template, values, target, path))
        if self.immediate or (len(self._jobs) >= BATCH and self._alone()):
            self.flush()

    def _alone(self) -> bool:
        """Whether this process will render the pages by itself (no forked children)."""
        return parallel.processes_for(self.settings, BATCH) < 2

    def flush(self) -> None:
        """Render and write every recorded page, then tell the plugins, in order.

        With a page store, every page is fingerprinted first (in this process,
        where the objects live); the pages the last build already wrote the
        same way are kept, and only the others are rendered.
        """
        jobs, self._jobs = self._jobs, []
        if not jobs:
            return
        todo, fingerprints = jobs, {}
        if self.store is not None:
            if self._prints is None:  # kept until the build ends: digests of shared objects
                self._prints = pagestore.Fingerprints(self.settings)
            prints = self._prints
            todo = []
            for job in jobs:
                template, (shared, local), target, _path = job
                if target is None:
                    continue
                fingerprint = prints.page(template, shared, local, target)
                if not self.store.keep(target, fingerprint):
                    fingerprints[target] = fingerprint
                    todo.append(job)
            kept = len(jobs) - len(todo)
            totals["kept"] += kept
            logger.debug("loa: %d of %d pages unchanged, kept", kept, len(jobs))
        totals["pages"] += len(jobs)
        workers = parallel.processes_for(self.settings, len(todo))  # less cores held by search
        totals["processes"] = max(totals["processes"], workers if todo else 0)
        rendering.render(todo, workers)
        if self.store is not None:
            for target, fingerprint in fingerprints.items():
                self.store.written(target, fingerprint)
        for _template, (shared, local), _target, path in jobs:
            signals.content_written.send(path, context=ChainMap(local, shared))

    def close(self) -> None:
        """The build ends: write what is still recorded, forget the digests, save the page store."""
        self.flush()
        self._prints = None
        if self.store is not None:
            self.store.save()
            logger.debug("loa: %d pages kept from the last build", self.store.kept)


def flush_articles(_generator, writer=None) -> None:
    """The articles generator is done (``article_writer_finalized``).

    Other receivers of this signal (statistics, events) may still add pages:
    those wait for the next flush.
    """
    if isinstance(writer, ParallelWriter):
        writer.flush()


def flush_pages(_generator, writer=None) -> None:
    """The pages generator is done (``page_writer_finalized``): write everything.

    Pelican sends no signal after the later generators (template pages), so
    from here on this writer writes each page as it is asked, like Pelican's.
    """
    if isinstance(writer, ParallelWriter):
        writer.flush()
        writer.immediate = True
        # What is left of the last build's output goes while the build ends
        # (a page written later and not found there any more is just rendered).
        STATE.remove_aside_later()


def use_writer(_pelican):
    """Pelican asks for its writer (``get_writer``)."""
    return ParallelWriter


def register() -> None:
    """Connect the writer to Pelican's signals."""
    signals.get_writer.connect(use_writer)
    signals.get_generators.connect(buildstate.begin)
    signals.article_writer_finalized.connect(flush_articles)
    signals.page_writer_finalized.connect(flush_pages)
    signals.finalized.connect(buildstate.finish)
