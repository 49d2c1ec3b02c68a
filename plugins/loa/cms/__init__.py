"""The web newsroom at ``/quan-tri/``: Decap CMS, configured from the registry and the field definitions."""

from loa.cms.config import build_config, preview_data

__all__ = ["build_config", "preview_data", "register"]


def register() -> None:
    """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
    from loa.cms.plugin import register as connect

    connect()
