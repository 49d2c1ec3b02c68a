"""Channel adapters, one module per platform; each registers itself in ``ADAPTERS``."""

from loa.syndication.channels.base import (
    ADAPTERS,
    INTERACTION_METRICS,
    METRICS,
    Adapter,
    PostRef,
    Receipt,
    Unsupported,
)
from loa.syndication.channels.facebook import Facebook
from loa.syndication.channels.instagram import Instagram
from loa.syndication.channels.telegram import Telegram
from loa.syndication.channels.threads import Threads
from loa.syndication.channels.tiktok import TikTok
from loa.syndication.channels.x import X
from loa.syndication.channels.zalo import Zalo

__all__ = [
    "ADAPTERS",
    "INTERACTION_METRICS",
    "METRICS",
    "Adapter",
    "Facebook",
    "Instagram",
    "PostRef",
    "Receipt",
    "Telegram",
    "Threads",
    "TikTok",
    "Unsupported",
    "X",
    "Zalo",
]
