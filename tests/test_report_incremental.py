"""render-all as a user meets it after a correction: real papermill runs, real files, compared before and after.

One module-scoped batch renders 2019-H1 from a copy of the sample store; a province then sends a corrected
workbook (written the way offices write them) and render-all runs again, then once more with nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from khanalytics.report import factory
from khanalytics.store import Store
from tests import corpus
from tests.sample_store import sample_store  # noqa: F401  (fixture)

PERIOD = "2019-H1"
EPOCH = "1782864000"  # 2026-07-01: every page says the same "made at", so files can be compared byte for byte


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.html"))}


@pytest.fixture(scope="module")
def runs(sample_store, tmp_path_factory):  # noqa: F811
    """The three runs: first (everything), after a correction, with nothing changed."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        root = tmp_path_factory.mktemp("incremental")
        store = root / "s.duckdb"
        shutil.copyfile(sample_store, store)
        out = root / "reports"
        first, index = factory.render_all(PERIOD, store=store, out_dir=out, progress=False)
        folder = index.parent
        before = _files(folder)
        stamps = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}
        with Store(store, read_only=True) as s:
            obs = s.observations()
        row = obs[(obs["code"] == "22") & (obs["element"] == "branches") & (obs["period"] == PERIOD)]
        fixed = root / "QuangNinh_bao_cao_6T_2019_sua.xlsx"
        corpus.report(fixed, title="BÁO CÁO SỐ LIỆU 6 THÁNG ĐẦU NĂM 2019", signature=False,
                      header=["STT", "Tên đơn vị", "Số chi hội"], rows=[("Quảng Ninh", int(row["value"].iloc[0]) + 7)])
        with Store(store) as s:
            s.import_files([fixed])
        second, _ = factory.render_all(PERIOD, store=store, out_dir=out, progress=False)
        after = _files(folder)
        changed_stamps = {p.name for p in folder.glob("*.html") if p.stat().st_mtime_ns != stamps.get(p.name)}
        start = time.perf_counter()
        third, _ = factory.render_all(PERIOD, store=store, out_dir=out, progress=False)
        idle = time.perf_counter() - start
        return {"store": store, "out": out, "folder": folder, "first": first, "second": second, "third": third,
                "before": before, "after": after, "touched": changed_stamps, "idle": idle}
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


AFFECTED = {"tinh-2008-22-quang-ninh.html", "cum-2-dong-bac.html", "ca-nuoc.html"}


def test_the_first_run_renders_everything_as_new(runs):
    assert len(runs["first"]) == 72 and all(r.status == "ok" for r in runs["first"])
    assert {tuple(r.reasons) for r in runs["first"]} == {("new",)}


def test_a_corrected_province_re_renders_exactly_its_province_cluster_and_country(runs):
    rendered = {Path(r.output).name: r.reasons for r in runs["second"] if r.action == "rendered"}
    assert set(rendered) == AFFECTED
    assert all(reasons == ["own_rows"] for reasons in rendered.values())
    # on disk: those three files and the index changed; the other 69 were not even rewritten
    changed = {name for name in runs["after"] if runs["after"][name] != runs["before"][name]}
    assert changed == AFFECTED | {"index.html"}
    assert runs["touched"] == AFFECTED | {"index.html"}
    assert len([r for r in runs["second"] if r.action == "unchanged"]) == 69


def test_a_run_with_nothing_changed_renders_nothing_and_writes_nothing(runs):
    assert all(r.action == "unchanged" for r in runs["third"])
    assert _files(runs["folder"]) == runs["after"]
    print(f"render-all with nothing changed: {runs['idle']:.2f} s")


def test_a_batch_report_is_the_report_a_single_render_makes(runs, tmp_path):
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        for key, kind in (("Quảng Ninh", "province"), ("Lạng Sơn", "province"), ("dong-bac", "cluster")):
            job = factory.plan(kind, key=key, period=PERIOD, store=runs["store"], out_dir=tmp_path)
            assert factory.render(job).status == "ok"
            batch = runs["folder"] / job.output.name
            assert job.output.read_bytes() == batch.read_bytes(), job.output.name
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def test_the_manifest_says_what_was_kept_and_why(runs):
    import json

    manifest = json.loads((runs["folder"] / "manifest.json").read_text(encoding="utf-8"))
    by_name = {Path(r["output"]).name: r for r in manifest["reports"]}
    assert by_name["cum-2-dong-bac.html"]["action"] == "rendered"
    assert by_name["cum-2-dong-bac.html"]["reasons"] == ["own_rows"]
    assert by_name["tinh-2008-01-ha-noi.html"]["action"] == "unchanged"
    assert set(by_name["ca-nuoc.html"]["inputs"]) == set(factory_parts())


def factory_parts() -> tuple[str, ...]:
    from khanalytics.report.fingerprint import PARTS

    return PARTS


def test_each_footer_shows_the_data_digest_the_manifest_records(runs):
    import json
    import re

    manifest = json.loads((runs["folder"] / "manifest.json").read_text(encoding="utf-8"))
    for record in manifest["reports"]:
        html = Path(record["output"]).read_text(encoding="utf-8")
        shown = re.search(r"mã dữ liệu của báo cáo ([0-9a-f]{16})", html)
        assert shown and shown.group(1) == record["data_digest"][:16], record["output"]
