"""What decides a report: digests by part, checked against what reports really show before and after corrections.

A correction is imported the way a province sends one (its own workbook, our generator's provincial layout,
not the template). The reports' content is taken by running each notebook's cells in this process: every
section's HTML (the embedded downloads compared by their tables), figures and tables, the footer left out.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest

from khanalytics.published.store import load_published
from khanalytics.report import fingerprint
from khanalytics.report.factory import NOTEBOOKS, notebooks_dir, plan_all, why_render, with_inputs
from khanalytics.report.inputs import load_store
from khanalytics.report.section import Section
from khanalytics.store import Store
from tests import corpus
from tests.sample_store import sample_store  # noqa: F401  (fixture)

PERIOD = "2019-H1"


@pytest.fixture
def store(sample_store, tmp_path) -> Path:  # noqa: F811
    path = tmp_path / "s.duckdb"
    shutil.copyfile(sample_store, path)
    return path


def _stored(store: Path, code: str, element: str, period: str = PERIOD) -> float:
    obs = load_store(store).obs
    row = obs[(obs["code"] == code) & (obs["element"] == element) & (obs["period"] == period)]
    return float(row["value"].iloc[0])


def _correct(store: Path, tmp_path: Path, header: str, value: float, *, province: str = "Quảng Ninh",
             title: str = "BÁO CÁO SỐ LIỆU 6 THÁNG ĐẦU NĂM 2019") -> None:
    """Import a province's corrected workbook: its title block, one column, its own row, a signature."""
    path = tmp_path / f"bao-cao-sua-{header}-{province}.xlsx".replace(" ", "_")
    corpus.report(path, title=title, unit=f"HỘI KHUYẾN HỌC TỈNH {province.upper()}",
                  header=["STT", "Tên đơn vị", header], rows=[(province, int(value))], signature=False)
    with Store(store) as s:
        s.import_files([path])


def _inputs(store: Path) -> dict[str, dict[str, str]]:
    jobs = with_inputs(plan_all(PERIOD, store=store, out_dir="reports"), store)
    return {j.output.stem: j.inputs for j in jobs}


def _changed(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> set[str]:
    return {name for name in after if fingerprint.Inputs(after[name]).changed(before[name])}


def _content(store: Path, stem: str) -> dict[str, str]:
    """What the report shows: each notebook cell's section, run here as papermill would run it."""
    job = next(j for j in plan_all(PERIOD, store=store, out_dir="reports") if j.output.stem == stem)
    cells = json.loads((notebooks_dir() / NOTEBOOKS[job.kind]).read_text(encoding="utf-8"))["cells"]
    space: dict[str, object] = {}
    out: dict[str, str] = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        exec(source, space)  # noqa: S102 - the shipped notebook's own code
        if "parameters" in cell["metadata"].get("tags", []):
            space.update(job.parameters)  # papermill's injected cell comes right after
            continue
        last = ast.parse(source).body[-1]
        if isinstance(last, ast.Expr):
            shown = eval(compile(ast.Expression(last.value), "<cell>", "eval"), space)  # noqa: S307
            if isinstance(shown, Section) and shown.name != "footer":
                html = re.sub(r'href="data:[^"]*"', 'href="data:…"', str(shown.html))
                out[shown.name] = html + "".join(pio.to_json(f, validate=False) for f in shown.figures)
                out[shown.name] += "".join(t.to_csv(index=False) for t in shown.tables.values())
    rep = space["rep"]
    out["tables"] = "".join(f"{k}:{t.to_csv(index=False)}" for k, t in sorted(rep.tables.items()))
    return out


def test_a_digest_depends_on_values_not_on_where_they_live(store):
    data = load_store(store)
    record = load_published(str(store))
    one = fingerprint.StoreView.of(data.obs, data.flags, data.imports, record)
    shuffled = fingerprint.StoreView.of(data.obs.sample(frac=1, random_state=1), data.flags, data.imports,
                                        record.iloc[::-1])
    job = plan_all(PERIOD, store=store, out_dir="r")[20]
    assert fingerprint.data_parts(job.params, one) == fingerprint.data_parts(job.params, shuffled)


def _moved(store: Path, before: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """The sections whose content differs from ``before``, per watched report."""
    out = {}
    for stem, shown in before.items():
        now = _content(store, stem)
        out[stem] = sorted(k for k in now if now[k] != shown.get(k))
    return out


def test_an_organisation_figure_corrected_touches_its_province_cluster_and_country(store, tmp_path):
    before = _inputs(store)
    watched = ("tinh-2008-22-quang-ninh", "tinh-2008-24-bac-giang", "tinh-2008-01-ha-noi", "cum-1-tay-bac")
    shown = {stem: _content(store, stem) for stem in watched}
    branches = _stored(store, "22", "branches")
    _correct(store, tmp_path, "Số chi hội", branches + 7)
    assert _stored(store, "22", "branches") == branches + 7
    after = _inputs(store)
    assert _changed(before, after) == {"tinh-2008-22-quang-ninh", "cum-2-dong-bac", "ca-nuoc"}
    for stem in ("tinh-2008-22-quang-ninh", "cum-2-dong-bac", "ca-nuoc"):
        assert after[stem]["own_rows"] != before[stem]["own_rows"]
        assert after[stem]["shared_rows"] == before[stem]["shared_rows"]
    # what the reports show agrees: the province's moved, a neighbour's, another cluster's did not
    moved = _moved(store, shown)
    assert "organisation" in moved["tinh-2008-22-quang-ninh"]
    assert all(not moved[stem] for stem in watched[1:]), moved


def test_a_later_half_year_changes_nothing_of_an_earlier_one(store, tmp_path):
    before = _inputs(store)
    watched = ("tinh-2008-22-quang-ninh", "cum-2-dong-bac", "ca-nuoc")
    shown = {stem: _content(store, stem) for stem in watched}
    members = _stored(store, "22", "members", "2019-H2")
    _correct(store, tmp_path, "Số HV", members + 1000, title="BÁO CÁO SỐ LIỆU 6 THÁNG CUỐI NĂM 2019")
    assert _stored(store, "22", "members", "2019-H2") == members + 1000
    assert _changed(before, _inputs(store)) == set()
    assert _moved(store, shown) == {stem: [] for stem in watched}


@pytest.mark.parametrize(("header", "province", "code", "element"), [
    ("Số HV", "Quảng Ninh", "22", "members"),
    ("GĐHT đạt", "Lạng Sơn", "20", "learning_families_recognised"),
])
def test_a_figure_compared_with_the_country_moves_every_report_of_the_period(store, tmp_path, header, province,
                                                                              code, element):
    before = _inputs(store)
    _correct(store, tmp_path, header, _stored(store, code, element) * 1.1 + 1, province=province)
    after = _inputs(store)
    assert _changed(before, after) == set(after)  # the country's figure is on every report
    assert all(after[s]["shared_rows"] != before[s]["shared_rows"] for s in after)


def test_why_a_report_is_rendered(store, tmp_path):
    job = with_inputs([plan_all(PERIOD, store=store, out_dir=tmp_path)[3]], store)[0]
    assert why_render(job, None) == ["new"]
    record = {"status": "ok", "inputs": dict(job.inputs), "sha256": "x"}
    assert why_render(job, record) == ["missing"]
    job.output.parent.mkdir(parents=True, exist_ok=True)
    job.output.write_text("<html></html>", encoding="utf-8")
    assert why_render(job, record) == ["edited"]
    import hashlib

    record["sha256"] = hashlib.sha256(job.output.read_bytes()).hexdigest()
    assert why_render(job, record) == []
    assert why_render(job, record, force=True) == ["forced"]
    assert why_render(job, {**record, "status": "failed"}) == ["failed"]
    assert why_render(job, {**record, "inputs": {**job.inputs, "library": "old"}}) == ["library"]
    assert fingerprint.describe(["own_rows", "library"]) == "số liệu của chính đơn vị, thư viện khanalytics"
    assert "the khanalytics library" in fingerprint.describe(["library"], "en")


def test_moving_the_store_changes_no_digest(store, tmp_path):
    moved = tmp_path / "elsewhere" / "kho.duckdb"
    moved.parent.mkdir()
    shutil.copyfile(store, moved)
    assert _inputs(store) == _inputs(moved)


def test_the_library_digest_follows_the_package_files():
    digest = fingerprint.library_digest()
    assert len(digest) == 32 and digest == fingerprint.library_digest()
    assert pd.notna(digest)
