"""Keeping pages that did not change: a rebuild renders only what its inputs changed.

Every page the writer renders is recorded in ``CACHE_PATH/loa-pages.json`` with
a fingerprint of everything that went into it: the template and every template
it includes, the code of the plugins and the versions of Pelican, Jinja and
Markdown, all the settings, the page's own values (the article, the paginated
list...) and those values of the shared context its templates name. The next
build computes the same fingerprint before rendering; when it is unchanged, and
the file the last build wrote is still there untouched (same size, same time),
the file is kept instead of rendered again.

With ``DELETE_OUTPUT_DIRECTORY`` the build still starts from an empty output
folder, as Pelican does: the last build's output is moved aside in one rename
(``<output>.loa-previous``), kept pages are moved back one by one, and what is
left over is deleted at the end. So a deleted article, static file or search
bundle disappears exactly as with a clean build.

The fingerprint is conservative: an article counts with all its fields, the
articles it links to (two steps away) with theirs, and a value it cannot
describe the same way twice (an object known only by its address) makes the
page render again. Two narrowings keep list pages from all changing at once:
only the context names a template (or a template it includes) mentions count,
unless a filter could read any of them; and a paginator counts its articles by
address, since pages show their own (``articles_page.object_list``), unless a
template reads a paginator's whole list. ``LOA_KEEP_PAGES = False`` turns
keeping off.
"""

from loa.codeversion import code_version
from loa.pagestore.digest import CONTENT_DEPTH, REACH, Unstable
from loa.pagestore.fingerprints import Fingerprints, enabled
from loa.pagestore.store import (
    ASIDE_SUFFIX,
    STORE_NAME,
    STORE_VERSION,
    PageStore,
    remove_aside,
    set_aside,
)

__all__ = [
    "ASIDE_SUFFIX",
    "CONTENT_DEPTH",
    "REACH",
    "STORE_NAME",
    "STORE_VERSION",
    "Fingerprints",
    "PageStore",
    "Unstable",
    "code_version",
    "enabled",
    "remove_aside",
    "set_aside",
]
