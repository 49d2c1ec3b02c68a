"""The web newsroom at ``/quan-tri/``: Decap CMS, configured from the registry and the field definitions."""

from loa.cms.config import build_config, preview_data
from loa.lazy import lazy

__all__ = ["build_config", "preview_data", "register"]

register = lazy(__name__)[0]
