"""The units registry: every mistake a maintainer can make gets one sentence with file, line and fix."""

from __future__ import annotations

import pytest
from loa.units import RESERVED_SLUGS, RegistryError, load, parse

from tests.conftest import UNITS_YML

PATH = "content/units.yml"


def problems(text: str) -> list:
    with pytest.raises(RegistryError) as caught:
        parse(text, PATH)
    return caught.value.findings


def one_problem(text: str):
    found = problems(text)
    assert len(found) == 1, [str(f) for f in found]
    finding = found[0]
    assert finding.path == PATH
    assert "—" in finding.message, "every message says how to fix it"
    return finding


def test_sample_registry_is_valid():
    registry = load("content/units.yml")
    assert len(registry.units) >= 5
    assert registry.department.channels, "the department has channels"
    for unit in registry.all():
        assert unit.name and unit.short_name and unit.description and unit.admins


def test_test_registry_routes_to_unit_then_department():
    registry = parse(UNITS_YML, PATH)
    unit = registry.get("don-vi-a")
    assert [c.platform for c in registry.channels_for(unit)] == ["telegram"]
    assert registry.channels_for(unit)[0].owner == "cuc"


def test_typo_in_a_key_is_named_with_its_line_and_a_suggestion():
    text = UNITS_YML.replace("    short_name: CĐCS A", "    shortname: CĐCS A")
    found = problems(text)
    typo = next(f for f in found if "shortname" in f.message)
    assert typo.line == 12
    assert "“short_name”" in typo.message
    # the real key is then missing as well
    assert any("thiếu “short_name”" in f.message for f in found)


def test_duplicate_slug():
    text = UNITS_YML.replace("slug: don-vi-b", "slug: don-vi-a")
    finding = one_problem(text)
    assert "don-vi-a" in finding.message and "trùng" in finding.message
    assert finding.line == 16
    assert "dòng 10" in finding.message


def test_missing_name():
    finding = one_problem(UNITS_YML.replace("    name: Công đoàn cơ sở Đơn vị B\n", ""))
    assert "thiếu “name”" in finding.message
    assert "don-vi-b" in finding.message


@pytest.mark.parametrize(
    "slug", ["Don-Vi-C", "đơn-vị-c", "don vi c", "don_vi_c", "-c", "c-", "x" * 41]
)
def test_slug_that_is_not_a_folder_name(slug):
    finding = one_problem(UNITS_YML.replace("slug: don-vi-b", f'slug: "{slug}"'))
    assert "tên thư mục" in finding.message
    assert finding.line == 16


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_slug_that_collides_with_a_site_path(slug):
    finding = one_problem(UNITS_YML.replace("slug: don-vi-b", f'slug: "{slug}"'))
    assert "trùng với một đường dẫn" in finding.message


def test_unknown_channel_suggests_the_right_one():
    text = UNITS_YML.replace("    telegram: {chat_id", "    telegam: {chat_id")
    finding = one_problem(text)
    assert "“telegam”" in finding.message and "“telegram”" in finding.message
    assert finding.line == 8


def test_a_token_value_instead_of_a_variable_name():
    text = UNITS_YML.replace("token_env: T_TG", "token_env: 123456:ABC-def")
    finding = one_problem(text)
    assert "biến môi trường" in finding.message
    assert "123456" not in finding.message, "a pasted token is never repeated in output"


def test_channel_missing_its_account():
    finding = one_problem(UNITS_YML.replace('chat_id: "@cuc_thu", ', ""))
    assert "thiếu “chat_id”" in finding.message


def test_admin_that_is_not_a_github_account():
    finding = one_problem(UNITS_YML.replace('["@nguoi-b"]', '["nguoi b"]'))
    assert "GitHub" in finding.message


def test_cadence_upside_down():
    finding = one_problem(
        UNITS_YML.replace(
            "{min_per_week: 2, max_per_week: 4}", "{min_per_week: 5, max_per_week: 4}"
        )
    )
    assert "min_per_week" in finding.message


def test_yaml_syntax_error_names_the_line():
    text = UNITS_YML.replace("    short_name: CĐCS B", "    short_name: CĐCS B: sai")
    finding = one_problem(text)
    assert finding.line == 18
    assert "YAML" in finding.message


def test_missing_units_list():
    finding = one_problem(UNITS_YML.split("units:")[0])
    assert "units" in finding.message


def test_missing_file(tmp_path):
    with pytest.raises(RegistryError) as caught:
        load(tmp_path / "units.yml")
    assert "không tìm thấy" in str(caught.value)


def test_every_problem_is_reported_at_once():
    text = UNITS_YML.replace("slug: don-vi-b", "slug: feeds").replace(
        "    name: Công đoàn cơ sở Đơn vị A\n", ""
    )
    assert len(problems(text)) == 2


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("short_name", "<img src=x onerror=alert(1)>"),
        ("short_name", "CĐCS A</label><a href=//evil.example>Đăng nhập</a>"),
        ("name", "Công đoàn \"A\" onmouseover='x'"),
        ("name", "[Phiên đăng nhập hết hạn](https://evil.example)"),
        ("short_name", "CĐCS `A`"),
        ("short_name", "Tổ chức & Cán bộ"),
        ("name", "Công đoàn **A**"),
    ],
)
def test_a_unit_name_with_markup_characters_is_refused(key, value):
    line_text = "    short_name: CĐCS A" if key == "short_name" else "    name: Công đoàn cơ sở Đơn vị A"
    assert line_text in UNITS_YML
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    text = UNITS_YML.replace(line_text, f'    {key}: "{quoted}"')
    finding = one_problem(text)
    assert finding.line == UNITS_YML.splitlines().index(line_text) + 1
    assert f"“{key}”" in finding.message
    assert "—" in finding.message and "bỏ" in finding.message


def test_ordinary_vietnamese_unit_names_pass():
    text = UNITS_YML.replace(
        "    short_name: CĐCS A", "    short_name: CĐCS Phòng Kế hoạch - Tài chính (P.KHTC), số 2/3"
    )
    registry = parse(text, PATH)
    assert registry.get("don-vi-a").short_name.startswith("CĐCS Phòng Kế hoạch")
