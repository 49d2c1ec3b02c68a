"""Production settings (``make publish``, the deploy workflow): imports pelicanconf."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

# The public address; the deploy workflow sets LOA_SITEURL for a fork.
SITEURL = os.environ.get("LOA_SITEURL", "https://congdoan-cds.example.gov.vn").rstrip("/")
RELATIVE_URLS = False

# The newsroom opens its pull requests on the repository the site is deployed from.
LOA_CMS = {**LOA_CMS, "repo": os.environ.get("GITHUB_REPOSITORY") or LOA_CMS["repo"]}  # noqa: F405

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"

# Drafts are never published.
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DELETE_OUTPUT_DIRECTORY = True

# Warnings with these codes stop a production build (and `loa check --strict`).
# Loa's default list: insecure links, images without alt text, text that is not
# NFC or hides characters, inline styles, and what "loa new" leaves to write.
from loa.findings import DEFAULT_STRICT_RULES  # noqa: E402

LOA_STRICT_RULES = list(DEFAULT_STRICT_RULES)

# Read the ledger branch so article pages link to their social posts.
LOA_READ_LEDGER = True
