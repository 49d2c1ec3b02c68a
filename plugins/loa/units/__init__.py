"""The units registry: loads ``content/units.yml``, puts the unit on every article."""

from loa.units.plugin import register, unit_category, unit_of_path
from loa.units.registry import (
    CHANNEL_NAMES,
    CHANNEL_SPECS,
    RESERVED_SLUGS,
    Cadence,
    Channel,
    Registry,
    RegistryError,
    Unit,
    load,
    parse,
)

__all__ = [
    "CHANNEL_NAMES",
    "CHANNEL_SPECS",
    "RESERVED_SLUGS",
    "Cadence",
    "Channel",
    "Registry",
    "RegistryError",
    "Unit",
    "load",
    "parse",
    "register",
    "unit_category",
    "unit_of_path",
]
