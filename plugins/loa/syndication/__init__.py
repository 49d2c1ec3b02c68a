"""Syndication: the manifest (build side) and posting each new article once (deploy side)."""

from loa.lazy import lazy
from loa.syndication.channels import ADAPTERS, Adapter, Receipt
from loa.syndication.config import Config
from loa.syndication.http import PostError
from loa.syndication.manifest import (
    MANIFEST_PATH,
    Manifest,
    ManifestArticle,
    read_manifest,
    write_manifest,
)
from loa.syndication.messages import Message
from loa.syndication.planner import Plan, Target, make_plan, routes
from loa.syndication.runner import RunReport, Syndicator
from loa.syndication.secrets import MissingSecret, Secrets

__all__ = [
    "ADAPTERS",
    "MANIFEST_PATH",
    "Adapter",
    "Config",
    "Manifest",
    "ManifestArticle",
    "Message",
    "MissingSecret",
    "Plan",
    "PostError",
    "Receipt",
    "RunReport",
    "Secrets",
    "Syndicator",
    "Target",
    "make_plan",
    "read_manifest",
    "register",
    "routes",
    "write_manifest",
]

register = lazy(__name__)[0]
