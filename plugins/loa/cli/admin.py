"""Keeping the site: ``loa codeowners``, ``loa secrets``, ``loa reposts``, ``loa ledger``, ``loa tokens``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

from loa.cli.common import open_ledger, site_of
from loa.errors import LoaError, UsageError
from loa.ledger import COPY_ENV, LedgerError, LedgerRefused, export, remote_from_env, write_copy
from loa.syndication import Secrets
from loa.syndication.http import Http, PostError
from loa.syndication.tokens import refresh_zalo
from loa.units.codeowners import codeowners, secret_names


def cmd_tokens_refresh(args) -> int:
    """Rotate Zalo tokens and store the new pair."""
    site = site_of(args)
    registry = site.load_registry()
    units = [u for u in registry.all() if not args.unit or u.slug == args.unit]
    if args.unit and not units:
        raise UsageError(
            f"Không có đơn vị “{args.unit}” — chọn một trong: {', '.join(registry.slugs)}."
        )
    accounts = [c for u in units for c in u.channels if c.platform == args.platform]
    if not accounts:
        print(f"Không có tài khoản {args.platform} nào trong {registry.path}.")
        return 0
    secrets = Secrets()
    http = Http(secrets)
    failed = 0
    seen = set()
    for account in accounts:
        if account.account in seen:
            continue
        seen.add(account.account)
        try:
            where = refresh_zalo(account, secrets, http)
            print(
                f"✓ Zalo OA {account.account}: token mới đã lưu vào {account.get('token_env')}, {account.get('refresh_token_env')} ({where})."
            )
        except PostError as exc:
            failed += 1
            print(f"✗ Zalo OA {account.account}: {secrets.mask(exc.message)}")
        except LoaError as exc:
            failed += 1
            print(f"✗ Zalo OA {account.account}: {secrets.mask(str(exc))}")
    http.close()
    return 1 if failed else 0


def cmd_ledger_export(args) -> int:
    """Copy the ledger branch's files into a folder, for a build that must hold no token.

    The history is verified first (``loa.ledger.trust``); when it is refused the
    folder gets the last verified files, so the site keeps showing them.
    """
    folder = Path(args.folder)
    site = site_of(args)
    ledger = open_ledger(site)
    try:
        if not ledger.refresh():
            write_copy(folder, {})
            print(
                f"Chưa có sổ ghi: {folder} để trống, bản dựng sẽ không có liên kết “Cũng có trên”."
            )
            return 0
        lines = export(ledger, folder)
    except LedgerRefused as exc:
        lines = write_copy(folder, ledger.last_verified())
        print(str(exc))
        print(f"Đã chép bản sổ ghi đã kiểm chứng cuối cùng ({lines} dòng) vào {folder}.")
        return 0
    except LedgerError as exc:
        write_copy(folder, ledger.last_verified())
        print(f"Không đọc được sổ ghi: {exc} — bản dựng dùng bản đã kiểm chứng cuối cùng (nếu có).")
        return 0
    finally:
        ledger.close()
    broken = f", bỏ {len(ledger.problems)} dòng hỏng" if ledger.problems else ""
    print(
        f"Đã chép sổ ghi ({lines} dòng{broken}) vào {folder}; dựng trang với {COPY_ENV}={folder}."
    )
    return 0


def cmd_ledger_ruleset(_args) -> int:
    """Say what the repository's rulesets still lack for the ledger branch."""
    from loa.ledger.ruleset import check
    from loa.masking import remember

    for name in ("LOA_GITHUB_ADMIN_TOKEN", "GITHUB_TOKEN"):
        remember(os.environ.get(name, "").strip())
    branch = remote_from_env()[1]
    missing = check(branch)
    if not missing:
        print(f"Nhánh “{branch}” được bảo vệ đủ: chỉ khoá triển khai ghi được sổ.")
        return 0
    print(f"Nhánh “{branch}” chưa được bảo vệ đủ:")
    for line in missing:
        print(f"  - {line}")
    return 1


def _sources(site):

    return site.load_registry(), site.load_sources()


def cmd_reposts_list(args) -> int:
    """Recent items of the official sources' feeds."""
    from loa.reposts import describe_date, list_items, reposted_urls  # the build's packages

    site = site_of(args)
    _registry, sources = _sources(site)
    items, problems = list_items(sources, args.source)
    done = reposted_urls(site.articles_dir)
    for item in items[: args.limit]:
        mark = "✓ đã đăng lại" if item.link.rstrip("/") in done else "  "
        print(
            f"{mark:14} {describe_date(item.date):24} [{item.source}] {item.title}\n{'':14} {item.link}"
        )
    if not items:
        print("Không có bài nào trong các nguồn tin.")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems and not items else 0


def cmd_reposts_import(args) -> int:
    """Import one article of an official source as a draft."""
    from loa.reposts import import_article  # the build's packages (Markdown)

    site = site_of(args)
    registry, sources = _sources(site)
    result = import_article(args.url, args.unit, registry, sources, site.articles_dir, args.author)
    kind = "toàn văn (theo thoả thuận)" if result.full_text else "tóm tắt"
    print(f"Đã tạo bản nháp {site.rel(result.path)} ({kind}) từ “{result.original.title}”.")
    print("Việc còn lại:")
    for item in result.todo:
        print(f"  - {item}")
    return 0


def cmd_codeowners(args) -> int:
    """Write (or check) .github/CODEOWNERS from the registry."""
    site = site_of(args)
    registry = site.load_registry()
    text = codeowners(registry)
    path = site.root / args.output
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(
                f"{args.output} không khớp với {registry.path} — chạy “loa codeowners” rồi commit tệp này."
            )
            return 1
        print(f"{args.output} khớp với {registry.path}.")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Đã ghi {args.output} ({len(registry.all())} đơn vị).")
    return 0


def cmd_secrets(args) -> int:
    """List the secrets the registry needs; with --check, a workflow must pass each one."""
    site = site_of(args)
    names = secret_names(site.load_registry())
    if not args.check:
        print("\n".join(names))
        return 0
    path = site.root / args.check
    try:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LoaError(f"Không đọc được {args.check}: {exc}") from None
    passed = set()
    for job in (workflow.get("jobs") or {}).values():
        for step in job.get("steps") or []:
            for key, value in (step.get("env") or {}).items():
                if isinstance(value, str) and f"secrets.{key}" in value.replace(" ", ""):
                    passed.add(key)
    missing = [n for n in names if n not in passed]
    if missing:
        print(
            f"{args.check} chưa chuyển các secret sau cho bước đăng bài: {', '.join(missing)} — thêm mỗi dòng “TEN: ${{{{ secrets.TEN }}}}” vào env của bước “loa syndicate”."
        )
        return 1
    print(f"{args.check} chuyển đủ {len(names)} secret mà units.yml cần.")
    return 0
