"""The units registry: loads ``content/units.yml``, puts the unit on every article."""

from loa.units.plugin import register, unit_category, unit_of_path
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
