"""The partial plotly.js bundle report pages carry: plotly.py's plotly.js version, every trace type we draw,
the file its build recorded, shipped in the wheel; and the choice between it and the full plotly.js."""

from __future__ import annotations

import ast
import base64
import fnmatch
import gzip
import hashlib
import json
import re
import tomllib
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs, get_plotlyjs_version

import khanalytics
from khanalytics.figures import offline

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(khanalytics.__file__).resolve().parent


def _made_trace_types() -> set[str]:
    """Every trace type the package's code builds: each ``go.<Trace>(...)`` call in khanalytics/."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "go"):
                names.add(node.func.attr)
    classes = [getattr(go, n) for n in names]
    return {c().type for c in classes if isinstance(c, type) and issubclass(c, BaseTraceType)}


def test_the_bundle_is_the_plotly_js_version_plotly_py_ships() -> None:
    # plotly.py upgraded without `python scripts/build_plotly_bundle.py`: this fails, loudly
    assert offline.bundle_manifest()["plotly.js"] == get_plotlyjs_version()
    banner = offline.custom_plotly_js()[:300]
    assert f"* plotly.js v{get_plotlyjs_version()} (partial bundle:" in banner and "MIT" in banner


def test_the_bundle_is_the_file_its_build_recorded_with_its_licence() -> None:
    manifest = offline.bundle_manifest()
    data = (offline.VENDOR_DIR / manifest["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == manifest["sha256"] and len(data) == manifest["bytes"]
    assert len(data) < len(get_plotlyjs()) / 3  # the point of it
    licence = (offline.VENDOR_DIR / "LICENSE-plotly.js.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Plotly" in licence
    assert "esbuild" in manifest["built_with"] and manifest["packages"]["plotly.js"] == get_plotlyjs_version()


def test_the_bundle_draws_every_trace_type_our_figures_make() -> None:
    made = _made_trace_types()
    assert {"scatter", "bar", "heatmap", "scattergeo", "choropleth"} <= made  # the scan finds them
    assert made <= offline.bundle_traces()
    for trace in offline.bundle_traces() - {"scatter"}:  # scatter is part of plotly.js's core
        assert f"require('plotly.js/lib/{trace}')" in offline.bundle_manifest()["entry"]


def test_the_vendor_files_ship_in_the_wheel() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["khanalytics.figures"]
    for path in offline.VENDOR_DIR.iterdir():
        name = path.relative_to(offline.VENDOR_DIR.parent).as_posix()
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name


def test_trace_types_of_figures_and_their_json() -> None:
    fig = go.Figure([go.Bar(x=[1], y=[2]), go.Scatter(x=[1], y=[2])])
    assert offline.trace_types(fig) == {"bar", "scatter"}
    assert offline.trace_types({"data": [{"x": [1]}, {"type": "pie"}]}) == {"scatter", "pie"}
    assert offline.trace_types({"layout": {}}) == set()


def test_pack_is_gzip_base64_and_the_same_every_time() -> None:
    text = '{"a": "Quảng Ninh </script>"}'
    packed = offline.pack(text)
    assert packed == offline.pack(text) and re.fullmatch(r"[A-Za-z0-9+/=]+", packed)
    assert gzip.decompress(base64.b64decode(packed)).decode("utf-8") == text


def test_scripts_carry_the_partial_bundle_only_when_it_draws_every_trace() -> None:
    full_mark = get_plotlyjs()[:300]
    for types in (None, {"bar", "pie"}, {"scattermap"}):
        scripts = offline.plotly_scripts(types)
        assert scripts.count(full_mark) == 1 and "DecompressionStream" not in scripts, types
    small = offline.plotly_scripts({"bar", "choropleth", "scattergeo", "heatmap", "scatter"})
    assert full_mark not in small and small.count("plotly.js v") == 1 and small.count("<script>") == 2
    assert small.index("PlotlyGeoAssets") < small.index("DecompressionStream")
    assert offline.plotly_scripts(set()) == small  # a page of empty figures
    packed = json.loads(re.search(r"Promise\.resolve\((\"[^\"]+\")\)", small).group(1))
    assert gzip.decompress(base64.b64decode(packed)).decode("utf-8") == offline.custom_plotly_js()
    assert len(small) < 700_000  # 1.44 MB minified, about 660 KB packed


def test_notebook_figures_keep_the_full_plotly_js() -> None:
    # a notebook's first figure carries plotly.js for every figure after it, whatever their type
    html = offline.mimebundle(go.Figure(go.Bar(x=[1], y=[2])), with_plotlyjs=True)["text/html"]
    assert html.count(get_plotlyjs()[:300]) == 1 and "DecompressionStream" not in html
