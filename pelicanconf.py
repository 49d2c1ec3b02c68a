"""Site settings for development and preview (``make html``, ``make serve``).

The organisation lives here and in ``content/units.yml``: code never names it.
``publishconf.py`` imports this file and overrides what production needs.
"""

AUTHOR = "Ban Biên tập"
SITENAME = "Bản tin Công đoàn Cục Chuyển đổi số và Thông tin dữ liệu TN&MT"
SITESHORTNAME = "Công đoàn Cục CĐS&TTDL"
SITESUBTITLE = (
    "Tiếng nói của người lao động — tin tức, chính sách, hoạt động của các công đoàn cơ sở"
)
# The preview's nominal address, for what must be absolute (feed items, the
# syndication manifest, link-card tags). Pages link to each other, their
# stylesheet, scripts and search with relative URLs (RELATIVE_URLS below), so
# ``make serve PORT=8123``, a codespace, a phone on the same network and a
# downloaded preview all work; publishconf.py sets the real address and
# absolute URLs.
SITEURL = "http://127.0.0.1:8000"

# The legal footer every page carries (information required of an
# organisation's website: owner, managing body, contact, responsible person).
ORGANISATION = {
    "name": "Công đoàn Cục Chuyển đổi số và Thông tin dữ liệu tài nguyên và môi trường",
    "managing_body": "Công đoàn Bộ Tài nguyên và Môi trường",
    "address": "Số 10 Tôn Thất Thuyết, phường Cầu Giấy, Hà Nội",
    "phone": "024 3773 0000",
    "email": "congdoan@example.gov.vn",
    "responsible": "Chủ tịch Công đoàn Cục (ví dụ: Nguyễn Văn A)",
    "licence": "Trang thông tin nội bộ; không phải cơ quan báo chí.",
}

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# The unit of an article is the first folder under content/articles/;
# sub-folders (years, months) below it still work.
PATH_METADATA = r"articles/(?P<category>[^/]+)/.*"
USE_FOLDER_AS_CATEGORY = False
# The date comes from the front matter, where it is required: Pelican need not
# parse the one in each file name too (~0.3 s at 10,000 articles).
FILENAME_METADATA = ""
DEFAULT_CATEGORY = "chua-phan-loai"

TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
# Only Markdown: the reStructuredText reader would warn that docutils has no
# Vietnamese, and nobody here writes reST.
READERS = {"rst": None, "html": None, "htm": None}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# The summary is plain text (escaped once by the reader, a Markup): Pelican's
# link rewriting of FORMATTED_FIELDS would turn it back into a plain string,
# and the templates would escape it a second time ("CĐS&amp;amp;TTDL").
FORMATTED_FIELDS = []

# Slugs never group articles as translations: two units may use the same slug.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# Clean URLs: folders with index.html.
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
DRAFT_URL = "ban-nhap/{category}/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_PAGE_URL = "ban-nhap/trang/{slug}/"
DRAFT_PAGE_SAVE_AS = "ban-nhap/trang/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_URL = "don-vi/"
CATEGORIES_SAVE_AS = "don-vi/index.html"
TAG_URL = "chu-de/{slug}/"
TAG_SAVE_AS = "chu-de/{slug}/index.html"
TAGS_URL = "chu-de/"
TAGS_SAVE_AS = "chu-de/index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = "tac-gia/{slug}/index.html"
AUTHORS_URL = "tac-gia/"
AUTHORS_SAVE_AS = "tac-gia/index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"

DEFAULT_PAGINATION = 10
# Page 2 of /<unit>/ is /<unit>/page/2/; "page" is a reserved slug for units
# and articles, so no article or unit can ever land on a pagination path.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: RSS 2.0 is the Vietnamese public-sector standard; Atom for the rest.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = True

THEME = "theme"
# Escape every value by default: titles and summaries come from contributors.
# auto_reload off: each build makes its own Jinja environment, so checking the
# template files' times on every include only cost stat calls (~2 s at 10,000).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "search", "notfound", "robots"]
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = "tim-kiem/index.html"
NOTFOUND_SAVE_AS = "404.html"
ROBOTS_SAVE_AS = "robots.txt"
TEMPLATE_EXTENSIONS = [".html"]

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "loa.vietnamese",
    "loa.units",
    "loa.frontmatter",
    "loa.rules",
    "loa.video",
    "loa.syndication",
    "loa.build",  # Loa's writer and taxonomy (the build machinery), before the theme
    "loa.theme",
    "loa.listening",  # before loa.cadence: the statistics pages show its figures
    "loa.cadence",
    "loa.events",
    "loa.cms",
    # The sitemap is written while the search index is being finished.
    "sitemap",
    "loa.search",
]

# pelican-sitemap: articles, pages, units and tags; drafts are never listed.
SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.6, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
    "exclude": ["^ban-nhap/", "^404", "^tim-kiem/", "^robots", "^quan-tri/"],
}

# The web newsroom at /quan-tri/ (Decap CMS served from the site; see README):
# "repo" is where its pull requests are opened; "oauth_url" an OAuth service
# for "Đăng nhập bằng GitHub" (without one, contributors sign in with a token);
# "local_backend" a decap-server address for trying it on one's own machine.
LOA_CMS = {
    "repo": "loa-example/loa",
    "branch": "main",
    "path": "quan-tri/",
    "oauth_url": "",
    "local_backend": "",
}

# Syndication: how much one run may post and how it retries (see README).
LOA_SYNDICATION = {
    "max_age_days": 7,
    "max_posts_per_run": 10,
    "max_attempts": 3,
    "graph_version": "v25.0",
    "ledger_author": "Loa <loa@users.noreply.github.com>",
}
# Threads takes a video only from a public address: an article with a video that
# goes to Threads gets its copy with burned-in captions published on the site
# (~30 MB a minute more on Pages, whose site is limited to 1 GB). False: Threads
# gets the usual post instead, and the site keeps only the web copy.
LOA_VIDEO_BY_ADDRESS = True
# Article pages show the social posts the ledger recorded ("Cũng có trên").
# Reading the ledger branch is for production builds.
LOA_READ_LEDGER = False

# Preview: drafts are written under /ban-nhap/ so a writer can see them;
# publishconf.py never writes them. Future-dated articles wait for their time.
WITH_FUTURE_DATES = False

CACHE_CONTENT = True
# The cache is a build artefact: compressing 10,000 articles' worth costs ~2 s.
GZIP_CACHE = False
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
CHECK_MODIFIED_METHOD = "md5"
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_RETENTION = [".git"]
RELATIVE_URLS = True
LOG_FILTER = []
