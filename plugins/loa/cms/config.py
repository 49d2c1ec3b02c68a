"""The web newsroom's configuration (Decap CMS), made from the registry and the field definitions.

Nothing here is written by hand: one collection per unit of ``units.yml`` (its
folder, its images folder, the channels it and the department have), one for
the pages, and each collection's fields from ``loa.frontmatter.fields`` — the
same records the reader and ``loa check`` use, so a limit or a message cannot
differ between the form and the check. Decap's configuration reference:
https://decapcms.org/docs/configuration-options/ (widgets:
https://decapcms.org/docs/widgets/).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from loa import platforms
from loa.frontmatter import fields as spec
from loa.frontmatter import video as video_spec
from loa.frontmatter.fields import COVER_MAX_BYTES as MAX_UPLOAD_BYTES  # loa check's cover limit
from loa.frontmatter.fields import COVER_MIN_SIZE as MIN_SIZE
from loa.platforms.compose import browser_data
from loa.units.registry import Registry, Unit

# The long side a photo is scaled to before upload: more than a cover needs
# (frontmatter/fields.COVER_MIN_SIZE, 1200 × 630), what Facebook shows at its sharpest, and
# within every network's bounds (Telegram: width + height ≤ 10000; spec/social-apis.md).
PHOTO_LONG_SIDE = 2048
TAG_HINTS = 30  # the most used tags named in the tags field's hint

# The custom widgets of quan-tri/loa-cms.js: a string or text whose length is
# checked as ``loa check`` counts it (and the cover's description, "loa-alt",
# required once there is a cover).
_WIDGETS = {"string": "loa-string", "text": "loa-text"}
_DATETIME = {"format": "YYYY-MM-DD HH:mm", "date_format": "DD/MM/YYYY", "time_format": "HH:mm"}
# "Bản nháp" is the workflow's state (not yet sent for review); the front
# matter's status says whether the site shows the article once it is merged.
STATUS_LABELS = {"published": "Hiện trên trang khi được duyệt", "draft": "Giữ lại, chưa hiện trên trang"}
# Every ASCII punctuation character, each of which CommonMark lets a backslash
# make literal (https://spec.commonmark.org/0.31.2/#backslash-escapes).
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_literal(text: str) -> str:
    """``text`` as Markdown that shows exactly ``text``: no link, autolink, emphasis or HTML.

    Decap renders a field's hint as GitHub-flavoured Markdown (react-markdown
    with remark-gfm, EditorControl.js); a hint made from what articles say (the
    site's tags) must not become a live link in the form. Escaping every ASCII
    punctuation mark also breaks GFM's bare ``www.``/``https://``/e-mail autolinks.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def video_missing() -> dict[str, str]:
    """What ``loa check`` says of a video block without its clip, captions or transcript."""
    return {
        "src": video_spec.missing_message("src"),
        "captions": video_spec.missing_message("captions"),
        "transcript": video_spec.TRANSCRIPT_MISSING,
    }


def field_config(field: spec.Field, channels=(), tags=()) -> dict:
    """One Decap field from one field definition."""
    out: dict = {"name": field.name, "label": field.label, "required": field.required}
    if field.hint:
        out["hint"] = field.hint.replace("Xem bên phải", "Bấm “Xem trước” để thấy")
    widget = field.widget
    if field.name == "image_alt":
        out["widget"] = "loa-alt"
        out["loa_message"] = spec.IMAGE_ALT_MISSING
    elif field.name == "status":
        options = [{"label": STATUS_LABELS[status], "value": status} for status in spec.STATUSES]
        out.update(widget="select", options=options, default=spec.STATUSES[0])
        out["hint"] = (
            f"“{STATUS_LABELS['draft']}”: bài không hiện trên trang và không đăng lên mạng xã hội, "
            "kể cả khi đã được duyệt."
        )
    elif field.name == "syndicate":
        out.update(
            widget="loa-syndicate",
            loa_off="Không đăng lên mạng xã hội (chỉ đăng trên trang)",
            multiple=True,
            options=[{"label": platforms.label(name), "value": name} for name in channels],
        )
    elif widget == "datetime":
        out.update(widget="datetime", **_DATETIME)
    elif widget == "image":
        out.update(
            widget="image",
            choose_url=False,
            media_library={"config": {"max_file_size": MAX_UPLOAD_BYTES}},
        )
    elif widget == "object":
        if field.name == "video":  # a block filled in part: the field says what loa check says
            out["loa_video"] = video_missing()
        out.update(
            widget="object",
            collapsed=True,
            # Decap checks a required child even when the optional block is
            # empty; ``loa check`` on the pull request reports a block
            # without its start.
            fields=[{**field_config(child), "required": False} for child in field.children],
        )
    elif widget == "list" and field.children:
        out.update(
            widget="list",
            max=field.max_length,
            summary="{{fields.alt}}",
            loa_album=field.name == "gallery",
            label_singular="ảnh",
            fields=[field_config(child) for child in field.children],
        )
    elif widget == "list":
        out["widget"] = "list"
        if field.name == "tags" and tags:
            named = ", ".join(markdown_literal(tag) for tag in tags[:TAG_HINTS])
            out["hint"] = f"{field.hint} Chủ đề đã có: {named}."
    elif field.name == "transcript":
        # `transcript: true` (the body is the transcript) or the text itself:
        # a box and a text area (loa-cms.js), as `loa check` reads it.
        out.update(widget="loa-transcript", loa_body="Phần nội dung bài đã thuật lại lời nói và hình ảnh")
    elif widget == "number":
        # Seconds may have a fraction (poster_time: 3.5); counts may not.
        out.update(widget="number", value_type="float" if field.name == "poster_time" else "int")
    elif widget == "boolean":
        out["widget"] = "boolean"
    else:
        out["widget"] = _WIDGETS.get(widget, widget)
    if field.max_length and widget in ("string", "text"):
        out["loa_max"] = field.max_length
        out["loa_message"] = field.too_long
    if field.required and widget in ("string", "text"):
        out["loa_missing"] = field.missing_message()
    return out


def article_fields(channels, tags) -> list[dict]:
    """The form of a unit's article: every field a contributor may fill, then the body."""
    form = [field_config(f, channels, tags) for f in spec.ARTICLE]
    return [*form, {"name": "body", "label": "Nội dung", "widget": "markdown"}]


def unit_collection(registry: Registry, unit: Unit, tags) -> dict:
    """A unit's collection: its folder, its file names (``loa new``'s), its images, its channels."""
    channels = sorted(
        {c.platform for c in registry.channels_for(unit)}, key=platforms.names().index
    )
    return {
        "name": unit.slug,
        "label": unit.short_name,
        "label_singular": f"bài của {unit.short_name}",
        "description": unit.name,
        "folder": f"content/articles/{unit.slug}",
        "create": True,
        # Publishing is a merge by the unit's admins on the pull request: no
        # "publish" button (https://decapcms.org/docs/configuration-options/#publish).
        "publish": False,
        "extension": "md",
        "format": "yaml-frontmatter",
        # The file's date is the article's date as written (Vietnam time, no offset stored):
        # Decap's {{year}}/{{month}}/{{day}} are UTC (decap-cms-lib-widgets stringTemplate.js,
        # dateParsers use getUTC*), a day early from 00:00 to 07:00 in Vietnam; its date()
        # filter formats the field's own value with Day.js instead.
        "slug": "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}",
        "identifier_field": "title",
        # The date as the site writes it (vietnamese/dates.SHORT_DATE, dd/MM/yyyy); newest first.
        "summary": "{{title}} — {{date | date('DD/MM/YYYY')}}",
        "sortable_fields": [
            {"field": "date", "label": "Ngày đăng", "default_sort": "desc"},
            {"field": "title", "label": "Tiêu đề"},
        ],
        "media_folder": f"/content/images/{unit.slug}",
        "public_folder": f"images/{unit.slug}",
        "preview_path": f"{unit.slug}/{{{{slug}}}}/",
        "fields": article_fields(channels, tags),
    }


def pages_collection() -> dict:
    """The site's pages (Giới thiệu, Liên hệ…): one file each in content/pages."""
    form = [field_config(f) for f in spec.PAGE]
    return {
        "name": "trang",
        "label": "Trang",
        "label_singular": "trang",
        "folder": "content/pages",
        "create": True,
        "publish": False,
        "extension": "md",
        "format": "yaml-frontmatter",
        "slug": "{{slug}}",
        "identifier_field": "title",
        "media_folder": "/content/images/trang",
        "public_folder": "images/trang",
        "fields": [*form, {"name": "body", "label": "Nội dung", "widget": "markdown"}],
    }


def build_config(registry: Registry, settings: Mapping, tags=()) -> dict:
    """The whole configuration of ``/quan-tri/`` (written into its ``loa-config.json``)."""
    cms = settings.get("LOA_CMS") or {}
    backend: dict = {
        "name": "github",
        "repo": cms.get("repo", ""),
        "branch": cms.get("branch", "main"),
        "cms_label_prefix": "loa/",
        "commit_messages": {
            "create": "Bài mới ({{collection}}): {{slug}}",
            "update": "Sửa bài ({{collection}}): {{slug}}",
            "delete": "Xoá bài ({{collection}}): {{slug}}",
            "uploadMedia": "Ảnh mới: {{path}}",
            "deleteMedia": "Xoá ảnh: {{path}}",
            "openAuthoring": "{{message}}",
        },
    }
    if cms.get("oauth_url"):
        backend["base_url"] = cms["oauth_url"]
        backend["auth_endpoint"] = cms.get("oauth_endpoint", "auth")
    site_url = str(settings.get("SITEURL") or "")
    config: dict = {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "locale": "vi",
        "load_config_file": False,
        "media_folder": "content/images",
        "public_folder": "images",
        "omit_empty_optional_fields": True,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": True},
        "collections": [
            *(unit_collection(registry, unit, tags) for unit in registry.all()),
            pages_collection(),
        ],
    }
    if site_url.startswith("http"):
        config["site_url"] = config["display_url"] = site_url
    if cms.get("local_backend"):
        config["local_backend"] = {"url": cms["local_backend"], "allowed_hosts": ["127.0.0.1"]}
    return config


def _account_name(registry: Registry, channel) -> str:
    """How the preview names an account: its own name, else its unit's ("Telegram — Công đoàn Cục")."""
    owner = registry.get(channel.owner)
    return channel.get("name") or (owner.short_name if owner else channel.account)


def preview_data(registry: Registry, settings: Mapping) -> dict:
    """What the preview needs to show each channel's text: units, channels, limits, recipes, the address pattern."""
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    records = {}
    for name in platforms.names():
        record = platforms.get(name)
        # How its posts are composed and counted, run by loa-plan.js (None: not in the browser).
        records[name] = {
            "label": record.label,
            "limits": dict(record.limits),
            "compose": browser_data(record),
        }
    return {
        "site_url": site_url,
        "article_url": settings.get("ARTICLE_URL", "{category}/{slug}/"),
        "platforms": records,
        "units": {
            unit.slug: {
                "channels": [
                    {
                        "platform": c.platform,
                        "account": c.account,  # as `loa syndicate plan` names it
                        "name": _account_name(registry, c),
                    }
                    for c in registry.channels_for(unit)
                ],
            }
            for unit in registry.all()
        },
        "image_alt_missing": spec.IMAGE_ALT_MISSING,
        # A video block the form saves says what `loa check` would (frontmatter/video.py).
        "video_missing": video_missing(),
        "photos": {
            "max_bytes": MAX_UPLOAD_BYTES,
            "long_side": PHOTO_LONG_SIDE,
            "min_width": MIN_SIZE[0],
            "min_height": MIN_SIZE[1],
        },
    }
