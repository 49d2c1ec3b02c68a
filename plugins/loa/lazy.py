"""A Pelican-facing room whose Pelican side loads only when a build asks for it.

Each room's ``__init__`` says::

    register, __getattr__ = lazy(__name__, "plugin", ("json_ld",))

``register()`` imports ``<room>.plugin`` (and Pelican with it) when Pelican
registers the plugin; the names listed are imported from that module on first
use. The posting runs import the rooms without ever loading Pelican, Markdown or
Babel (``tests/syndication/test_posting_install.py``).
"""

from __future__ import annotations

import importlib


def lazy(package: str, module: str = "plugin", names: tuple[str, ...] = ()):
    """``(register, __getattr__)`` for ``package``, whose Pelican side is ``package.module``."""

    def register() -> None:
        """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
        importlib.import_module(f"{package}.plugin").register()

    def attribute(name: str):
        """The build's helpers, imported (with Pelican) on first use."""
        if name in names:
            return getattr(importlib.import_module(f"{package}.{module}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return register, attribute
