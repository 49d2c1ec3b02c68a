"""Refresh the platform spec extracts in ``specs/`` from the platforms' own machine-readable sources.

Usage (each source is a local git clone; the extract records the commit it was read at):

    python scripts/refresh_specs.py --telegram ../telegram-bot-api-spec \
        --x ../xdk --meta ../facebook-python-business-sdk [--commit-telegram SHA ...]

Sources (see docs/contracts.md):
- Telegram: PaulSonOfLars/telegram-bot-api-spec ``api.json`` (a maintained dump of the Bot API page).
- X: xdevplatform/xdk ``specs/openapi.json`` (current) and ``latest-openapi.json`` (the previous
  published description), X's own SDK generator input.
- Facebook and Instagram: facebook/facebook-python-business-sdk, the generated ``adobjects``
  (``param_types`` of each call, ``Field`` lists and enums).
Threads, TikTok and Zalo publish no machine-readable description Loa can read here: their
extracts (``specs/threads.json``, ``tiktok.json``, ``zalo.json``) are curated by hand from the
documentation pages and official SDK sources they cite, and this script only validates them.

Only the calls Loa makes are extracted (``WANTED`` below), so each file stays small enough to read.
Adding a request shape (a video upload, say) is one entry in ``WANTED`` or in a curated file.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

# -- helpers ---------------------------------------------------------------------------------


def git_show(repo: Path, commit: str, path: str) -> str:
    """A file of a local clone at a commit."""
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def git_head(repo: Path, path: str) -> str:
    """The last commit that touched ``path``."""
    return subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%H", "HEAD", "--", path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def write(name: str, data: dict) -> None:
    """Write one extract, stable key order, one shape per block."""
    path = SPECS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(data.get('shapes', {}))} shapes")


# -- Telegram ----------------------------------------------------------------------------------

TELEGRAM_METHODS = ("sendMessage", "sendPhoto", "sendMediaGroup", "sendVideo", "getChatMemberCount")
TELEGRAM_TYPES = ("InputMediaPhoto", "InputMediaVideo", "LinkPreviewOptions")
_TG_SCALARS = {"String": "string", "Integer": "integer", "Boolean": "boolean", "Float": "number"}
_TG_LENGTH = re.compile(r"(\d+)-(\d+) characters after entities parsing")


def _telegram_param(field: dict, known_types: set[str]) -> dict:
    types = field["types"]
    spec: dict = {"required": bool(field.get("required"))}
    kinds = []
    for t in types:
        if t.startswith("Array of "):
            inner = t.removeprefix("Array of ")
            item = (
                {"ref": inner}
                if inner in known_types
                else {"type": _TG_SCALARS.get(inner, "object")}
            )
            kinds.append("array")
            spec.setdefault("items_any", []).append(item)
        elif t in _TG_SCALARS:
            kinds.append(_TG_SCALARS[t])
        elif t == "InputFile":
            kinds.append("file")
        elif t in known_types:
            kinds.append("object")
            spec["ref"] = t
        else:
            kinds.append("object")
    spec["type"] = sorted(set(kinds)) if len(set(kinds)) > 1 else kinds[0]
    if "items_any" in spec and len(spec["items_any"]) == 1:
        spec["items"] = spec.pop("items_any")[0]
    match = _TG_LENGTH.search(field.get("description", ""))
    if match:
        spec.update(min_length=int(match[1]), max_length=int(match[2]), unit="telegram")
    must_be = re.search(r"must be (\w+)$", field.get("description", ""))
    if must_be:
        spec["enum"] = [must_be[1]]
    if field["name"] == "parse_mode":
        spec["enum"] = ["HTML", "MarkdownV2", "Markdown"]  # "Formatting options" section
    if field["name"] == "media" and "Array of InputMediaPhoto" in types:
        # Loa sends photo and video albums; the other item types are out of the extract
        spec["items_any"] = [
            {"ref": t.removeprefix("Array of ")}
            for t in types
            if t.removeprefix("Array of ") in known_types
        ]
        spec.pop("items", None)
        spec.update(
            min_items=2, max_items=10
        )  # "an array describing messages to be sent, must include 2-10 items"
    return spec


def telegram(repo: Path, commit: str) -> dict:
    """The Bot API methods and types Loa uses, from ``api.json``."""
    api = json.loads(git_show(repo, commit, "api.json"))
    known = set(TELEGRAM_TYPES)

    def params(fields: list[dict]) -> dict:
        return {f["name"]: _telegram_param(f, known) for f in fields}

    return {
        "platform": "telegram",
        "sources": [
            {
                "repo": "PaulSonOfLars/telegram-bot-api-spec",
                "path": "api.json",
                "commit": commit,
                "version": f"{api['version']} ({api['release_date']})",
            }
        ],
        "notes": "Lengths 'after entities parsing' are UTF-16 code units (MessageEntity offsets "
        "are UTF-16; core.telegram.org/api/entities#entity-length). The Bot API ignores "
        "unknown fields; the contract refuses them, since an ignored misspelt field is a defect.",
        "shapes": {
            m: {
                "method": "POST",
                "path": "/bot{token}/" + m,
                "body": ["json", "form", "query"],
                "params": params(api["methods"][m]["fields"]),
                "additional": False,
            }
            for m in TELEGRAM_METHODS
        },
        "types": {
            t: {"params": params(api["types"][t]["fields"]), "additional": False}
            for t in TELEGRAM_TYPES
        },
    }


# -- X ---------------------------------------------------------------------------------------------

X_OPERATIONS = (
    ("POST", "/2/tweets"),
    ("POST", "/2/media/upload"),
    ("POST", "/2/media/metadata"),
    ("GET", "/2/tweets"),
    ("GET", "/2/users/me"),
    # Video: chunked upload, its processing status, and subtitles (issue 28).
    ("POST", "/2/media/upload/initialize"),
    ("POST", "/2/media/upload/{id}/append"),
    ("POST", "/2/media/upload/{id}/finalize"),
    ("GET", "/2/media/upload"),
    ("POST", "/2/media/subtitles"),
)


def _x_schema(schema: dict, spec: dict, depth: int = 0) -> dict:
    """An OpenAPI schema as a contract param (refs resolved, a few levels deep)."""
    if depth > 6:
        return {"type": "object"}
    if "$ref" in schema:
        target = schema["$ref"].split("/")[-1]
        return _x_schema(spec["components"]["schemas"][target], spec, depth + 1)
    if "anyOf" in schema or "oneOf" in schema:
        options = [_x_schema(s, spec, depth + 1) for s in schema.get("anyOf") or schema["oneOf"]]
        kinds = sorted(
            {
                o.get("type", "object") if isinstance(o.get("type"), str) else "object"
                for o in options
            }
        )
        resolved = [
            spec["components"]["schemas"][s["$ref"].split("/")[-1]] if "$ref" in s else s
            for s in schema.get("anyOf") or schema["oneOf"]
        ]
        if any(s.get("format") == "binary" for s in resolved):
            kinds = ["file" if k == "string" else k for k in kinds]
        return {"type": kinds if len(kinds) > 1 else kinds[0]}
    out: dict = {}
    kind = schema.get("type", "object")
    out["type"] = kind
    if "enum" in schema:
        out["enum"] = schema["enum"]
    for key, name in (
        ("maxItems", "max_items"),
        ("minItems", "min_items"),
        ("maxLength", "max_length"),
        ("minLength", "min_length"),
        ("pattern", "pattern"),
    ):
        if key in schema:
            out[name] = schema[key]
    if kind == "array" and "items" in schema:
        out["items"] = _x_schema(schema["items"], spec, depth + 1)
    if kind == "object" and "properties" in schema:
        required = set(schema.get("required", []))
        out["params"] = {
            name: {**_x_schema(sub, spec, depth + 1), "required": name in required}
            for name, sub in schema["properties"].items()
        }
        out["additional"] = bool(schema.get("additionalProperties", True))
    return out


def _x_operation(spec: dict, method: str, path: str) -> dict:
    op = spec["paths"][path][method.lower()]
    params: dict = {}
    for entry in op.get("parameters", []):
        p = entry
        if "$ref" in entry:
            p = spec["components"]["parameters"][entry["$ref"].split("/")[-1]]
        if p.get("in") != "query":
            continue
        param = _x_schema(p.get("schema", {}), spec)
        if param.get("type") == "array":
            param["encoding"] = "csv"  # style form, explode false
        params[p["name"]] = {**param, "required": bool(p.get("required"))}
    shape = {"method": method, "path": path, "query": params}
    body = op.get("requestBody")
    if body:
        content = body["content"]
        media = next(iter(content))
        schema = _x_schema(content[media]["schema"], spec)
        shape.update(
            body=sorted("json" if "json" in c else "multipart" for c in content),
            params=schema.get("params", {}),
            additional=schema.get("additional", True),
            body_required=bool(body.get("required")),
        )
    return shape


def x(repo: Path, commit: str) -> dict:
    """Each X operation Loa calls, in the current and the previous published description."""
    versions = {}
    sources = []
    for path in ("specs/openapi.json", "latest-openapi.json"):
        spec = json.loads(git_show(repo, commit, path))
        version = spec["info"]["version"]
        versions[version] = {f"{m} {p}": _x_operation(spec, m, p) for m, p in X_OPERATIONS}
        sources.append(
            {"repo": "xdevplatform/xdk", "path": path, "commit": commit, "version": version}
        )
    current = max(versions, key=lambda v: tuple(int(n) for n in v.split(".")))
    shapes = versions.pop(current)
    # The text of a post: 280 by twitter-text's weighted count (config v3), which the
    # OpenAPI description does not carry: github.com/twitter/twitter-text config/v3.json.
    shapes["POST /2/tweets"]["params"]["text"].update(max_length=280, unit="x")
    for old in versions.values():
        old["POST /2/tweets"]["params"]["text"].update(max_length=280, unit="x")
    return {
        "platform": "x",
        "sources": sources,
        "version": current,
        "shapes": shapes,
        "older_versions": versions,
        "notes": "Requests must satisfy every listed version where they can: the media upload "
        "sends only fields both versions define; the post lookup's field list was renamed "
        "(tweet.fields -> post.fields), so Loa asks with the current name and falls back.",
    }


# -- Meta (Facebook Page, Instagram) ---------------------------------------------------------------

META_CALLS = {
    "facebook": (
        ("Page", "create_feed", "POST", "/v{version:\\d+\\.\\d+}/{page_id:\\d+}/feed"),
        ("Page", "create_photo", "POST", "/v{version:\\d+\\.\\d+}/{page_id:\\d+}/photos"),
        ("Page", "create_video", "POST", "/v{version:\\d+\\.\\d+}/{page_id:\\d+}/videos"),
        ("Page", "api_get", "GET", "/v{version:\\d+\\.\\d+}/{page_id:\\d+}"),
        ("PagePost", "api_get", "GET", "/v{version:\\d+\\.\\d+}/{post_id:\\d+_\\d+}"),
        ("PagePost", "get_insights", "GET", "/v{version:\\d+\\.\\d+}/{post_id:\\d+_\\d+}/insights"),
    ),
    "instagram": (
        ("IGUser", "create_media", "POST", "/v{version:\\d+\\.\\d+}/{ig_user_id:\\d+}/media"),
        (
            "IGUser",
            "create_media_publish",
            "POST",
            "/v{version:\\d+\\.\\d+}/{ig_user_id:\\d+}/media_publish",
        ),
        (
            "IGUser",
            "get_content_publishing_limit",
            "GET",
            "/v{version:\\d+\\.\\d+}/{ig_user_id:\\d+}/content_publishing_limit",
        ),
        ("IGUser", "api_get", "GET", "/v{version:\\d+\\.\\d+}/{ig_user_id:\\d+}"),
        ("ShadowIGMediaBuilder", "api_get", "GET", "/v{version:\\d+\\.\\d+}/{container_id:\\d+}"),
        ("IGMedia", "api_get", "GET", "/v{version:\\d+\\.\\d+}/{media_id:\\d+}"),
        ("IGMedia", "get_insights", "GET", "/v{version:\\d+\\.\\d+}/{media_id:\\d+}/insights"),
    ),
}
_META_SCALARS = {
    "string": "string",
    "bool": "boolean",
    "int": "integer",
    "unsigned int": "integer",
    "float": "number",
    "datetime": "string",
    "Object": "json",
    "map": "json",
    "list": "json",
}


def _meta_class(repo: Path, commit: str, name: str) -> ast.ClassDef:
    tree = ast.parse(git_show(repo, commit, f"facebook_business/adobjects/{name.lower()}.py"))
    return next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)


def _meta_enum(repo: Path, commit: str, expr: ast.expr) -> list[str]:
    """``Photo.BackdatedTimeGranularity.__dict__.values()`` -> the nested class's string values."""
    chain = []
    node = expr.func.value.value if isinstance(expr, ast.Call) else expr  # X.Y.__dict__
    while isinstance(node, ast.Attribute):
        chain.append(node.attr)
        node = node.value
    owner, nested = node.id, chain[-1]
    cls = _meta_class(repo, commit, owner)
    inner = next(n for n in cls.body if isinstance(n, ast.ClassDef) and n.name == nested)
    return sorted(
        n.value.value
        for n in inner.body
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
    )


def _meta_type(kind: str, enums: dict) -> dict:
    if kind.startswith("list<"):
        inner = _meta_type(kind[5:-1], enums)
        return {"type": "array", "encoding": "csv_or_json", "items": inner}
    if kind in enums:
        return {"type": "string", "enum": enums[kind]}
    return {"type": _META_SCALARS.get(kind, "string")}


def _meta_call(repo: Path, commit: str, cls: ast.ClassDef, method: str) -> dict:
    func = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == method)
    param_types, enums = {}, {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id == "param_types":
                param_types = ast.literal_eval(node.value)
            elif node.targets[0].id == "enums":
                enums = {
                    k.value: _meta_enum(repo, commit, v)
                    for k, v in zip(node.value.keys, node.value.values, strict=False)
                }
    params = {
        name: {**_meta_type(kind, enums), "required": False} for name, kind in param_types.items()
    }
    target = next(
        (
            k.value.id
            for n in ast.walk(func)
            if isinstance(n, ast.Call)
            for k in n.keywords
            if k.arg == "target_class" and isinstance(k.value, ast.Name)
        ),
        None,
    )
    if _verb(func) == "GET" and target and "fields" not in params:
        # Graph's own ``fields`` on a read: the target object's fields
        fields = _meta_fields(_meta_class(repo, commit, target))
        params["fields"] = {
            "type": "array",
            "encoding": "graph_fields",
            "items": {"type": "string", "enum": fields},
            "required": False,
        }
    return params


def _verb(func: ast.FunctionDef) -> str:
    for n in ast.walk(func):
        if isinstance(n, ast.Call):
            for k in n.keywords:
                if k.arg == "method" and isinstance(k.value, ast.Constant):
                    return k.value.value
    return ""


def _meta_fields(cls: ast.ClassDef) -> list[str]:
    """Field names and edge names (``get_<edge>`` calls) of an object: what ``fields=`` may ask."""
    field_cls = next(
        (n for n in cls.body if isinstance(n, ast.ClassDef) and n.name == "Field"), None
    )
    body = field_cls.body if field_cls else []
    names = {
        n.value.value
        for n in body
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
    }
    names |= {
        n.name[4:] for n in cls.body if isinstance(n, ast.FunctionDef) and n.name.startswith("get_")
    }
    return sorted(names)


# Documented limits the generated SDK does not carry (added on top of its param_types):
# Page post message 63,206 characters (developers.facebook.com/docs/graph-api/reference/page/feed/);
# Instagram caption 2,200 characters and a carousel of 2-10 children
# (developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media).
META_LIMITS = {
    ("Page.create_feed", "message"): {"max_length": 63206, "unit": "chars"},
    ("IGUser.create_media", "caption"): {"max_length": 2200, "unit": "chars"},
    ("IGUser.create_media", "children"): {"min_items": 2, "max_items": 10},
    # The generated param_types say string, but the SDK's own chunked uploader sends the
    # chunk as a multipart file (facebook_business/video_uploader.py, VideoUploadTransferRequestManager).
    ("Page.create_video", "video_file_chunk"): {"type": ["file", "string"]},
}


def meta(repo: Path, commit: str, platform: str) -> dict:
    """Page/PagePost or IGUser/IGMedia calls from the generated SDK objects."""
    shapes = {}
    sources = set()
    for owner, method, verb, path in META_CALLS[platform]:
        cls = _meta_class(repo, commit, owner)
        sources.add(f"facebook_business/adobjects/{owner.lower()}.py")
        if method == "api_get":
            params = {
                "fields": {
                    "type": "array",
                    "encoding": "graph_fields",
                    "items": {"type": "string", "enum": _meta_fields(cls)},
                    "required": False,
                }
            }
        else:
            params = _meta_call(repo, commit, cls, method)
        params["access_token"] = {"type": "string", "required": True}
        for (shape_name, param), limit in META_LIMITS.items():
            if shape_name == f"{owner}.{method}":
                params[param].update(limit)
        shapes[f"{owner}.{method}"] = {
            "method": verb,
            "path": path,
            "body": ["form", "query", "json"],
            "params": params,
            "additional": False,
        }
    return {
        "platform": platform,
        "sources": [
            {"repo": "facebook/facebook-python-business-sdk", "path": p, "commit": commit}
            for p in sorted(sources)
        ],
        "notes": "Graph API parameters from the SDK's generated param_types (access_token is "
        "the Graph API's own). The SDK does not enumerate Page post insights metrics "
        "(metric: list<Object>), so post_media_view cannot be confirmed from it.",
        "shapes": shapes,
    }


def validate(name: str) -> None:
    """A curated extract names its sources and each shape has a method, a path and params."""
    data = json.loads((SPECS / f"{name}.json").read_text("utf-8"))
    assert data.get("sources"), f"{name}: no sources"
    for key, shape in data["shapes"].items():
        assert shape.get("method") and shape.get("path"), f"{name}.{key}: method/path"
    print(f"checked specs/{name}.json: {len(data['shapes'])} shapes")


def main(argv: list[str] | None = None) -> int:
    """Refresh whichever extracts have a source given; validate the curated ones."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--telegram", type=Path)
    parser.add_argument("--x", type=Path)
    parser.add_argument("--meta", type=Path)
    args = parser.parse_args(argv)
    if args.telegram:
        write("telegram", telegram(args.telegram, git_head(args.telegram, "api.json")))
    if args.x:
        write("x", x(args.x, git_head(args.x, "specs/openapi.json")))
    if args.meta:
        commit = git_head(args.meta, "facebook_business/adobjects")
        write("facebook", meta(args.meta, commit, "facebook"))
        write("instagram", meta(args.meta, commit, "instagram"))
    for name in ("threads", "tiktok", "zalo"):
        if (SPECS / f"{name}.json").exists():
            validate(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
