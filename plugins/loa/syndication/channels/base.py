"""What every channel adapter is: render an article, post it, read followers."""

from __future__ import annotations

from dataclasses import dataclass

from loa.syndication.http import Http
from loa.syndication.manifest import ManifestArticle
from loa.syndication.messages import Message
from loa.syndication.secrets import Secrets
from loa.units import Channel


@dataclass(frozen=True)
class Receipt:
    """What the platform gave back for a post."""

    remote_id: str
    remote_url: str = ""


class Adapter:
    """One platform account. Subclasses set ``platform`` and implement ``render`` and ``post``."""

    platform = ""
    default_base = ""

    def __init__(
        self, account: Channel, http: Http, secrets: Secrets, settings: dict | None = None
    ):
        self.account = account
        self.http = http
        self.secrets = secrets
        self.settings = settings or {}

    @property
    def label(self) -> str:
        """ "Telegram @congdoan", for messages to people."""
        return f"{self.account.label} {self.account.account}"

    def token_names(self) -> list[str]:
        """The environment variables this account needs."""
        return list(self.account.env_names.values())

    def render(self, article: ManifestArticle) -> Message:
        """The exact message this account would get."""
        raise NotImplementedError

    def post(self, message: Message) -> Receipt:
        """Publish; raise ``PostError`` on failure."""
        raise NotImplementedError

    def followers(self) -> int:
        """The account's follower count."""
        raise NotImplementedError
