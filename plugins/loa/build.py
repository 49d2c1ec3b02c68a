"""The build machinery as a Pelican plugin: Loa's writer and the constant-time taxonomy.

``pelicanconf.py`` names it in ``PLUGINS`` just before ``loa.theme``: pages are
written by ``loa.writer`` (recorded, then rendered on every core; a rebuild
keeps unchanged pages) and the tag, unit and author pages get their lists from
``loa.taxonomy``. Registered here, where the machinery lives, so no feature
reaches down to connect it (docs/architecture.md, "The rooms and their layers").
"""

from __future__ import annotations

from loa import taxonomy, writer


def register() -> None:
    """Connect the writer and the taxonomy to Pelican's signals."""
    writer.register()
    taxonomy.register()
