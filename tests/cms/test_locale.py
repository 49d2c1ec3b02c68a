"""Every phrase Decap can show has a Vietnamese one: its own locale's, or Loa's (loa-locale.js)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from loa.cms.plugin import STATIC

from tests.conftest import REPO

LOCALES = REPO / "node_modules" / "decap-cms-locales" / "src"
SCRIPT = """
globalThis.window = globalThis;
const load = async l => (await import(process.argv[2] + '/' + l + '/index.js')).default;
const en = await load('en'), vi = await load('vi');
await import(process.argv[3]);
const merged = LoaLocale.merge(vi, LoaLocale.words);
const missing = [];
(function walk(a, b, path) {
  for (const key of Object.keys(a)) {
    const here = path ? path + '.' + key : key;
    if (a[key] && typeof a[key] === 'object') walk(a[key], (b || {})[key], here);
    else if (!b || typeof b[key] !== 'string') missing.push(here);
  }
})(en, merged, '');
console.log(JSON.stringify({missing, workflow: merged.editor.editorToolbar}));
"""


@pytest.mark.skipif(shutil.which("node") is None or not LOCALES.exists(), reason="Cần Node.js và npm ci")
def test_no_english_phrase_is_left_and_the_workflow_reads_in_loas_words(tmp_path):
    script = tmp_path / "check.mjs"
    script.write_text(SCRIPT, encoding="utf-8")
    result = subprocess.run(
        ["node", str(script), str(LOCALES), str(STATIC / "loa-locale.js")],
        capture_output=True, text=True, check=True,
    )
    answer = json.loads(result.stdout)
    assert answer["missing"] == []
    toolbar = answer["workflow"]
    assert (toolbar["draft"], toolbar["inReview"], toolbar["published"]) == (
        "Bản nháp", "Gửi duyệt", "Đã đăng"
    )
