"""Chatwoot: a unit whose members write to a Chatwoot inbox (``listening.source: chatwoot``).

The same records as the native readers, from Chatwoot's own API description
(https://github.com/chatwoot/chatwoot, ``swagger/``):
- ``GET /api/v1/accounts/{account_id}/conversations?inbox_id=…&status=all&page=n``
  (``data.payload``: ``id``, ``timestamp`` — when the conversation was created;
  the ``messages`` it also carries are never read), and
- ``GET /api/v1/accounts/{account_id}/reporting_events?name=first_response&inbox_id=…&since=…&until=…&page=n``
  ("Only administrators can access this endpoint. Results are paginated with 25
  items per page"; ``payload``: ``conversation_id``, ``event_end_time`` — the first
  reply; ``meta.total_pages``) — swagger/paths/application/reporting_events/index.yml.
Authentication: the ``api_access_token`` header (swagger ``userApiKey``).
"""

from __future__ import annotations

import datetime as dt

from loa.listening.adapters import moment_of
from loa.listening.http import MAX_PAGES, AccountFailed, api_base
from loa.listening.records import Record, iso


def _get(ctx, unit, path: str, params: dict):
    settings = unit.listening.chatwoot
    name = settings.get("token_env") or ""
    token = ctx.environ.get(name, "")
    if not token:
        raise AccountFailed(
            f"thiếu biến môi trường {name or 'token_env'} (token Chatwoot) — thêm nó vào Secrets của kho"
        )
    base = api_base("chatwoot", settings.get("url", ""))
    status, body = ctx.reader.get(
        f"{base}/api/v1/accounts/{settings['account_id']}/{path}",
        params=params,
        headers={"api_access_token": token},
    )
    if status in (401, 403):
        raise AccountFailed(
            f"token Chatwoot trong {name} không đủ quyền — báo cáo (reporting_events) chỉ dành cho "
            "“Quản trị viên” (Administrator) của tài khoản Chatwoot"
        )
    if status >= 400 or not isinstance(body, dict):
        raise AccountFailed(f"Chatwoot từ chối (HTTP {status})")
    return body


def _moment(value) -> dt.datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, str) and value.isdigit():
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    return moment_of(value)


def _first_answers(ctx, unit, inbox: int, until: dt.datetime) -> dict[str, dt.datetime]:
    out: dict[str, dt.datetime] = {}
    for page in range(1, MAX_PAGES + 1):
        body = _get(
            ctx,
            unit,
            "reporting_events",
            {
                "name": "first_response",
                "inbox_id": inbox,
                "since": int(ctx.since.timestamp()),
                "until": int(until.timestamp()),
                "page": page,
            },
        )
        items = body.get("payload") if isinstance(body.get("payload"), list) else []
        for event in items:
            if not isinstance(event, dict) or event.get("name") != "first_response":
                continue
            moment = _moment(event.get("event_end_time"))
            conversation = str(event.get("conversation_id"))
            if moment is not None and (conversation not in out or moment < out[conversation]):
                out[conversation] = moment
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        total = meta.get("total_pages")
        if not items or not isinstance(total, int) or page >= total:
            break
    return out


def conversations(ctx, unit) -> list[Record]:
    """Each configured inbox's conversations of the window, with their first answers."""
    settings = unit.listening.chatwoot
    until = ctx.since + dt.timedelta(days=400)
    out = []
    for inbox in settings.get("inbox_ids") or []:
        answers = _first_answers(ctx, unit, inbox, until)
        account = f"{settings['account_id']}-{inbox}"
        for page in range(1, MAX_PAGES + 1):
            body = _get(
                ctx, unit, "conversations", {"inbox_id": inbox, "status": "all", "page": page}
            )
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
            items = data.get("payload") if isinstance(data.get("payload"), list) else []
            for item in items:
                if not isinstance(item, dict):
                    continue
                created = _moment(item.get("timestamp") or item.get("created_at"))
                if created is None or created < ctx.since:
                    continue
                number = str(item.get("id"))
                answered = answers.get(number)
                answered = answered if answered and answered >= created else None
                out.append(
                    Record(
                        "conversation",
                        unit.slug,
                        "chatwoot",
                        account,
                        ctx.hasher.key("chatwoot", account, number),
                        iso(created),
                        iso(answered) if answered else "",
                    )
                )
            if not items:
                break
    return out
