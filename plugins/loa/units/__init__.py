"""The units registry: loads ``content/units.yml``, puts the unit on every article."""

from loa.lazy import lazy
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

register, __getattr__ = lazy(__name__, "plugin", ("unit_category", "unit_of_path"))
