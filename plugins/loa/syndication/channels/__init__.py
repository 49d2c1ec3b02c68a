"""Channel adapters, one module per platform."""

from loa.syndication.channels.base import Adapter, Receipt
from loa.syndication.channels.facebook import Facebook
from loa.syndication.channels.instagram import Instagram
from loa.syndication.channels.telegram import Telegram
from loa.syndication.channels.tiktok import TikTok
from loa.syndication.channels.x import X
from loa.syndication.channels.zalo import Zalo

ADAPTERS: dict[str, type[Adapter]] = {
    "facebook": Facebook,
    "zalo": Zalo,
    "telegram": Telegram,
    "x": X,
    "instagram": Instagram,
    "tiktok": TikTok,
}

__all__ = [
    "ADAPTERS",
    "Adapter",
    "Facebook",
    "Instagram",
    "Receipt",
    "Telegram",
    "TikTok",
    "X",
    "Zalo",
]
