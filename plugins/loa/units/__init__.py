"""The units registry: loads ``content/units.yml``, puts the unit on every article."""

from loa.units.registry import (
    RESERVED_SLUGS,
    Cadence,
    Channel,
    Registry,
    RegistryError,
    Unit,
    channel_names,
    load,
    parse,
)

__all__ = [
    "RESERVED_SLUGS",
    "Cadence",
    "Channel",
    "Registry",
    "RegistryError",
    "Unit",
    "channel_names",
    "load",
    "parse",
    "register",
    "unit_category",
    "unit_of_path",
]


def register() -> None:
    """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
    from loa.units.plugin import register as connect

    connect()


def __getattr__(name: str):
    """The build's helpers (``unit_category``, ``unit_of_path``), imported with Pelican on first use."""
    if name in ("unit_category", "unit_of_path"):
        from loa.units import plugin

        return getattr(plugin, name)
    raise AttributeError(f"module 'loa.units' has no attribute {name!r}")
