"""Channel adapters, one module per platform."""

from loa.syndication.channels.base import Adapter, Receipt
from loa.syndication.channels.facebook import Facebook
from loa.syndication.channels.telegram import Telegram

ADAPTERS: dict[str, type[Adapter]] = {"telegram": Telegram, "facebook": Facebook}

__all__ = ["ADAPTERS", "Adapter", "Facebook", "Receipt", "Telegram"]
