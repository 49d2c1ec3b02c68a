"""The web newsroom at ``/quan-tri/``: Decap CMS, configured from the registry and the field definitions."""

from loa.cms.config import build_config, preview_data
from loa.cms.plugin import register

__all__ = ["build_config", "preview_data", "register"]
