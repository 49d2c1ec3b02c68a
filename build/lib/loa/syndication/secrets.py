"""Tokens from the environment, and masking so that no token is ever printed or stored."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import quote, quote_plus

from loa.errors import LoaError
from loa.masking import mask, mask_fields, remember


class MissingSecret(LoaError):
    """An environment variable named in units.yml is not set."""

    def __init__(self, name: str):
        """Name the variable that is missing."""
        self.name = name
        super().__init__(
            f"biến môi trường {name} chưa được đặt — thêm token vào mục Secrets của kho (hoặc môi trường chạy) với đúng tên này."
        )


class Secrets:
    """Reads tokens from the environment and remembers them, to mask them anywhere."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        """Read secrets from ``environ`` (the process environment by default)."""
        self.environ = os.environ if environ is None else environ
        self._values: set[str] = set()
        self._overrides: dict[str, str] = {}

    def get(self, name: str) -> str:
        """The value of the variable ``name``; ``MissingSecret`` when unset or empty."""
        value = (self._overrides.get(name) or self.environ.get(name) or "").strip()
        if not value:
            raise MissingSecret(name)
        self.add(value)
        return value

    def set(self, name: str, value: str) -> None:
        """Use ``value`` for ``name`` from now on in this run (a refreshed token)."""
        self.add(value)
        self._overrides[name] = value

    def add(self, value: str) -> None:
        """Remember a secret value (a token obtained at run time, say)."""
        remember(value)
        if value and len(value) >= 4:
            self._values.update({value, quote(value, safe=""), quote_plus(value)})

    def mask(self, text: str) -> str:
        """``text`` with every known secret, and any run of ``MIN_PIECE`` of its characters, masked."""
        return mask(text)

    def mask_fields(self, record, names: tuple[str, ...] | None = None):
        """A dataclass record with its text fields (or only ``names``) masked."""
        return mask_fields(record, names)
