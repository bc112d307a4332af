"""The report factory: notebooks under papermill, our HTML export, batches, and the reports in a real browser."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

from khanalytics.errors import ParameterError
from khanalytics.report import export, factory
from khanalytics.report import index as report_index
from khanalytics.report.downloads import neutralise
from khanalytics.report.params import injected_names, parameters
from khanalytics.report.section import TRUSTED
from khanalytics.report.sections import open_report
from khanalytics.store import Store
from khanalytics.text import slug
from tests.browser_util import visit
from tests.sample_store import sample_files

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def test_notebooks_are_committed_clean_and_tagged():
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1, path.name
    assert {p.name for p in NOTEBOOKS.glob("*.ipynb")} == {
        "cluster_report.ipynb", "province_profile.ipynb", "national_overview.ipynb", "explore.ipynb"}


@pytest.mark.parametrize("name, parameters", [
    ("cluster_report", {"cluster": "dong-bac", "period": "2019-H1"}),
    ("province_profile", {"province": "Bắc Ninh", "period": "2026-H1"}),
    ("national_overview", {"period": "2019-H1"}),
    ("explore", {"period": "2019-H1"}),
])
def test_every_notebook_runs_under_papermill(sample_store, tmp_path, name, parameters):
    out = pm.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(tmp_path / f"{name}.ipynb"),
                              parameters={**parameters, "store": str(sample_store)}, progress_bar=False,
                              kernel_name="python3", cwd=str(ROOT))
    outputs = [o for c in out.cells for o in c.get("outputs", [])]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert "application/vnd.plotly.v1+json" in kinds  # every notebook draws at least one figure
    if name != "explore":
        html = " ".join(str(o["data"]["text/html"]) for o in outputs if "text/html" in o.get("data", {}))
        assert "SỐ LIỆU MINH HOẠ" in html and "Tóm tắt" in html and "Nguồn số liệu" in html


@pytest.mark.parametrize("parameters, expected", [
    ({"cluster": "atlantis"}, "dong-bac"),
    ({"period": "2019-H3"}, "2019-H1"),
    ({"indicators": ["membership_rate", "cats"]}, "membership_rate"),
    ({"edition": "1999"}, "2025"),
    ({"lang": "fr"}, "'vi'"),
])
def test_bad_parameters_stop_with_the_valid_choices(sample_store, tmp_path, parameters, expected):
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(NOTEBOOKS / "cluster_report.ipynb"), str(tmp_path / "o.ipynb"),
                            parameters={"store": str(sample_store), **parameters}, progress_bar=False,
                            kernel_name="python3", cwd=str(ROOT))
    assert expected in err.value.evalue
    assert err.value.cell_index == 3  # the first cell after the (injected) parameters: validation comes first


def test_unknown_parameter_name_is_refused_before_running(sample_store, tmp_path):
    job = factory.plan("cluster", key="dong-bac", period="2019-H1", store=sample_store, out_dir=tmp_path,
                       extra={"clustr": "dong-bac"})
    with pytest.raises(factory.ReportError, match="clustr") as err:
        factory.check_parameters(job)
    assert "cluster" in str(err.value)
    # and inside the notebook, for papermill run by hand
    with pytest.raises(ParameterError, match="clustr"):
        parameters({"clustr": 1, "cluster": "dong-bac", "period": "2019-H1"}, "cluster")


@pytest.fixture(scope="module")
def cluster_html(sample_store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    run = subprocess.run([sys.executable, "-m", "khanalytics", "render", "cluster", "--cluster", "dong-bac",
                          "--period", "2019-H1", "-o", str(out), "--store", str(sample_store)],
                         capture_output=True, text=True, cwd=ROOT, env={"COLUMNS": "200", "PATH": ""})
    assert run.returncode == 0, run.stdout + run.stderr
    (path,) = out.glob("2019-H1/*.html")
    return path


def test_cluster_report_says_the_founding_figures(cluster_html):
    text = re.sub(r"<[^>]+>", " ", cluster_html.read_text(encoding="utf-8"))
    for figure in ("2.265.712", "9.414.026", "24,07", "20,72", "1,08", "31,8"):
        assert figure in text
    body = cluster_html.read_text(encoding="utf-8").split("<body>", 1)[1]
    assert body.index("SỐ LIỆU MINH HOẠ") < body.index("<h2>")  # the synthetic notice is on the first screen
    assert cluster_html.name == "cum-2-dong-bac.html"
    assert cluster_html.stat().st_size <= 1_500_000


def test_report_html_has_no_code_no_cdn_and_one_plotly(cluster_html):
    html = cluster_html.read_text(encoding="utf-8")
    assert "from khanalytics import" not in html and "rep.header()" not in html
    assert not re.search(r"<script[^>]*\bsrc=", html)  # nothing loaded: no require.js, MathJax or CDN
    assert not re.search(r"<link[^>]*href=\"?https?:", html)
    from plotly.offline import get_plotlyjs

    assert html.count("* plotly.js v") == 1 and "(partial bundle:" in html  # the small plotly.js, embedded once
    assert get_plotlyjs()[:300] not in html


@pytest.mark.browser
def test_cluster_report_in_chromium_offline(cluster_html, tmp_path):
    v = visit(cluster_html, screenshot=tmp_path / "report.png", width=1100)
    assert v.requests_out == [] and v.console_errors == [] and v.page_errors == []
    assert v.drawn_in_time
    kinds = [f["traces"][0] for f in v.figures]
    assert "choropleth" in kinds and "bar" in kinds and "heatmap" in kinds
    geo = next(f for f in v.figures if f["traces"][0] == "choropleth")
    assert geo["geoFilled"] == 63
    assert all(f["drawn"] for f in v.figures)
    assert "24,07" in v.text


@pytest.mark.browser
def test_phone_width_reads(cluster_html):
    v = visit(cluster_html, width=390, height=844)
    assert v.requests_out == [] and v.console_errors == [] and v.drawn_in_time


EVIL = "<img src=x onerror=alert(1)>"


@pytest.mark.browser
def test_data_carrying_html_runs_no_script(tmp_path):
    evil_dir = tmp_path / "evil"
    evil_dir.mkdir()
    src = sample_files()[8]  # 2019-H1
    assert "2019-H1" in src.name
    import openpyxl

    book = openpyxl.load_workbook(src)
    info = book["Thông tin"]
    for row in info.iter_rows():
        if str(row[0].value).startswith("Ghi chú"):
            row[1].value = EVIL
    evil_file = evil_dir / f"{EVIL}.xlsx"
    book.save(evil_file)
    store = tmp_path / "evil.duckdb"
    with Store(store) as s:
        s.import_files([sample_files()[6], evil_file])  # 2018-H1 and the 2019-H1 with the evil note
    job = factory.plan("cluster", key="dong-bac", period="2019-H1", store=store, out_dir=tmp_path / "out")
    result = factory.render(job)
    assert result.status == "ok", result.error
    html = Path(result.output).read_text(encoding="utf-8")
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    v = visit(result.output)
    assert v.dialogs == [] and v.page_errors == [] and v.requests_out == []
    assert EVIL in v.text  # shown as text


def test_render_many_records_a_failure_and_goes_on(sample_store, tmp_path):
    good = factory.plan("cluster", key="dong-bac", period="2019-H1", store=sample_store, out_dir=tmp_path)
    bad = factory.plan("cluster", key="tay-bac", period="2019-H1", store=sample_store, out_dir=tmp_path,
                       extra={"indicators": ["not_an_indicator"]})
    results = factory.render_many([bad, good], workers=2)
    assert [r.status for r in results] == ["failed", "ok"]
    pids = {r.extra["kernel_pid"] for r in results}
    assert len(pids) == 2 and _alive(pids) == set()  # the workers shut their warm kernels down
    assert results[0].failing_cell == 3 and "not_an_indicator" in results[0].error
    assert not Path(bad.output).exists()
    index = report_index.write_index(results, tmp_path / "2019-H1", period="2019-H1")
    text = index.read_text(encoding="utf-8")
    assert "cum-2-dong-bac.html" in text and "LỖI" in text
    manifest = json.loads(report_index.write_manifest(results, tmp_path / "2019-H1", period="2019-H1", store=sample_store,
                                                 store_digest="x", seconds=1.0).read_text())
    assert manifest["inputs"]["versions"]["khanalytics"] and len(manifest["reports"]) == 2


def _alive(pids: set[int], wait: float = 15.0) -> set[int]:
    """The processes among ``pids`` still running after up to ``wait`` seconds (zombies count as gone)."""
    import time

    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return False

    deadline = time.time() + wait
    while {p for p in pids if running(p)} and time.time() < deadline:
        time.sleep(0.3)
    return {p for p in pids if running(p)}


def test_slugs_are_safe_ascii():
    assert slug("Cụm II – Đông Bắc") == "cum-ii-dong-bac"
    assert slug("<img src=x onerror=alert(1)>/../..") == "img-src-x-onerror-alert-1"
    assert slug("") == "report"
    assert factory.plan("province", key="Bà Rịa - Vũng Tàu", period="2019-H1").output.name == "tinh-2008-77-ba-ria-vung-tau.html"


def test_downloads_neutralise_formulas():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "Hà Nội"], "value": [1, -2, 3, 4, 5]})
    out = neutralise(frame)
    assert out["name"].tolist() == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "Hà Nội"]
    assert out["value"].tolist() == [1, -2, 3, 4, 5]  # numbers stay numbers


def test_no_half_written_html_after_a_kill(sample_store, tmp_path):
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "khanalytics", "render-all", "--period", "2019-H1", "-o", str(out),
                             "--store", str(sample_store), "-j", "2"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    import os
    import signal
    import time

    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("2019-H1/*.html"))) < 3:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    written = list(out.glob("2019-H1/*.html"))
    assert len(written) >= 3
    for path in written:
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
    shutil.rmtree(out)


def test_variants_never_overwrite_each_other(tmp_path):
    outputs = {factory.plan("cluster", key="dong-bac", period="2019-H1", lang=lang, edition=ed, out_dir=tmp_path).output
               for lang in ("vi", "en") for ed in ("auto", "2008", "2025")}
    assert len(outputs) == 4  # auto and 2008 are the same map for 2019-H1
    assert factory.report_folder(tmp_path, "2019-H1") == tmp_path / "2019-H1"
    assert factory.report_folder(tmp_path, "2019-H1", lang="en", edition="2025") == tmp_path / "2019-H1/en/ban-do-2025"


def test_annual_periods_are_refused_with_the_way_out(sample_store, tmp_path):
    with pytest.raises(factory.ReportError, match="2019-H2"):
        factory.plan("cluster", key="dong-bac", period="2019", out_dir=tmp_path)
    with pytest.raises(ParameterError, match="2019-H2"):
        parameters({"cluster": "dong-bac", "period": "2019"}, "cluster")


def test_only_papermill_injected_names_are_checked_in_a_kernel():
    history = ["", "cluster = 'dong-bac'", "# Parameters\nclustr = 'x'\nperiod = '2019-H1'\n", "rep = 1"]
    assert injected_names({"In": history, "rep": 1, "scratch": 2}) == {"clustr", "period"}
    assert injected_names({"In": ["", "x = 1"], "rep": 1}) == set()  # run by hand: nothing injected, nothing refused


def _open(store, **params):
    kind = "province" if "province" in params else "cluster"
    p = {"period": "2019-H1", "edition": "auto", "lang": "vi", "store": str(store), "indicators": None, **params}
    return open_report(parameters(p, kind))


def _embedded(html_parts, suffix):
    import base64

    for part in html_parts:
        if isinstance(part, str):
            for name, data in re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', part):
                if name.endswith(suffix):
                    yield name, base64.b64decode(data)


def test_downloads_hold_each_period_on_its_own_map(sample_store):
    import io

    rep = _open(sample_store, cluster="dong-bac", period="2026-H1")
    shown = [rep.sources().html]
    (data,) = [d for n, d in _embedded(shown, ".csv") if n.endswith("du_lieu.csv")]
    table = pd.read_csv(io.BytesIO(data), dtype={"code": str})
    before = table[table["period"] == "2025-H1"]
    assert set(before["edition"].astype(str)) == {"2008"}
    # the 2025-map members' old parts: Bắc Kạn, Hải Dương and old Bắc Ninh included, on the 2008 codes
    assert set(before["code"]) == {"04", "06", "19", "20", "22", "24", "27", "30", "31"}
    after = table[table["period"] == "2026-H1"]
    assert set(after["code"]) == {"04", "19", "20", "22", "24", "31"} and set(after["edition"].astype(str)) == {"2025"}


def test_downloaded_workbook_has_no_formula_and_a_definitions_sheet(sample_store):
    import io

    import openpyxl

    rep = _open(sample_store, cluster="dong-bac")
    rep.trends()
    shown = [rep.sources().html]
    (xlsx,) = [d for _, d in _embedded(shown, ".xlsx")]
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert "Nguon va dinh nghia" in book.sheetnames and "tep_nguon" in book.sheetnames and len(book.sheetnames) >= 4
    files = [c.value for c in book["tep_nguon"]["A"]][1:]
    assert files and all(str(f).startswith("bao_cao_") for f in files)  # the files the figures come from
    assert all(cell.data_type != "f" for ws in book for row in ws.iter_rows() for cell in row)


def test_organisation_on_the_other_map_is_re_expressed(sample_store):
    rep = _open(sample_store, cluster="dong-bac", edition="2025")
    html = rep.organisation().html
    assert "Bắc Ninh" in html and "Hải Phòng" in html and "Bắc Giang" not in html
    assert html.count("<tr") == 1 + 6 + 1  # header, six provinces of the 2025 map, total


def test_export_inserts_only_html_built_by_the_library():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<b>ours</b>"}, metadata=TRUSTED),
        nbformat.v4.new_output("display_data", data={"text/html": "<img src=x onerror=alert(1)>",
                                                     "text/plain": "<img src=x onerror=alert(1)>"}),
        nbformat.v4.new_output("stream", name="stdout", text="printed"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiêu đề <script>alert(1)</script>"), cell]
    blocks, has_figures = export.notebook_blocks(nb)
    page = "".join(blocks)
    assert "<b>ours</b>" in page and "<img" not in page and "<script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "printed" not in page and not has_figures
