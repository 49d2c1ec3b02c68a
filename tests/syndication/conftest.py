"""Fixtures for the syndication chain."""

from __future__ import annotations

import pytest

from tests.syndication.harness import Chain


@pytest.fixture
def chain(tmp_path):
    """A site with the department and two units, Telegram and Facebook on each, and the fakes."""
    built = Chain(tmp_path)
    yield built
    built.close()
