"""Editorial rules: what ``loa check`` and the build enforce on every article."""

from loa.lazy import lazy
from loa.rules.check import (
    DOCUMENT_RULES,
    RULES,
    CheckResult,
    Site,
    build_index,
    check_document,
    collect,
    fix_file,
    promote,
    read_document,
    run_check,
)
from loa.rules.context import RuleContext, SiteIndex
from loa.rules.html import sanitize
from loa.rules.links import extract_links
from loa.rules.report import format_github, format_human, format_json
from loa.rules.text import check_text, fix_text

__all__ = [
    "DOCUMENT_RULES",
    "RULES",
    "CheckResult",
    "RuleContext",
    "Site",
    "SiteIndex",
    "build_index",
    "check_document",
    "check_text",
    "collect",
    "extract_links",
    "fix_file",
    "fix_text",
    "format_github",
    "format_human",
    "format_json",
    "promote",
    "read_document",
    "register",
    "run_check",
    "sanitize",
]

register = lazy(__name__)[0]
