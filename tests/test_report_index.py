"""index.html and manifest.json beside a batch of reports."""

import json

from khanalytics.report.factory import ReportResult
from khanalytics.report.index import write_index, write_manifest

EVIL = "<img src=x onerror=alert(1)>"


def _results(tmp_path):
    return [ReportResult("cluster", "Cụm II", str(tmp_path / "cum-2.html"), "ok", 1.0, {}),
            ReportResult("province", f"Tỉnh {EVIL}", str(tmp_path / "t.html"), "failed", 1.0, {}, error=EVIL,
                         failing_cell=3)]


def test_index_links_relatively_and_escapes_errors(tmp_path):
    text = write_index(_results(tmp_path), tmp_path, period="2019-H1").read_text(encoding="utf-8")
    assert 'href="cum-2.html"' in text and "LỖI" in text and "(ô 3)" in text
    assert EVIL not in text and "&lt;img" in text
    en = write_index(_results(tmp_path), tmp_path, period="2019-H1", lang="en").read_text(encoding="utf-8")
    assert "FAILED" in en and "(cell 3)" in en


def test_manifest_records_inputs_and_every_report(tmp_path):
    path = write_manifest(_results(tmp_path), tmp_path, period="2019-H1", store="s.duckdb", store_digest="abc",
                          seconds=2.5)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["period"] == "2019-H1" and manifest["inputs"]["store_content_sha256"] == "abc"
    assert set(manifest["inputs"]["notebooks"]) == {"cluster", "province", "national"}
    assert [r["status"] for r in manifest["reports"]] == ["ok", "failed"]
