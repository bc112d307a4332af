"""The figures package as a whole: its public API, its error family, its size, and figures in pages.

The drawing itself is checked in real Chromium by test_browser.py; each room has its own test file
(test_figures_maps.py, test_figures_trends.py…) and pages have test_report_pages.py; here we check what
spans the rooms, and a page made of our figures.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import khanalytics
from khanalytics import figures
from khanalytics.errors import KhanalyticsError
from khanalytics.report import assets, pages
from tests.figure_data import EVIL, cluster_series, draw_map

PACKAGE = Path(figures.__file__).parent
ROOT = Path(khanalytics.__file__).parents[1]


def test_the_public_api_keeps_every_name_callers_use() -> None:
    from khanalytics import figures as fig

    for name in figures.__all__:
        assert getattr(fig, name) is not None, name
    used = {"choropleth", "tile_map", "trend", "small_multiples", "ranked_bar", "scorecard_heatmap", "kpi_cards",
            "KPI_CSS", "legend_classes", "quantile_bins", "LegendClasses", "NARROW_PX", "is_missing_text", "ROLES",
            "STATUSES", "FigureError", "theme"}
    assert used <= set(figures.__all__)
    assert fig.ROLES == ("province", "cluster", "national") and fig.STATUSES == ("above", "below", "equal")
    assert fig.is_missing_text(" ") and fig.is_missing_text(float("nan")) and not fig.is_missing_text("a")


def test_every_name_other_code_calls_on_figures_exists() -> None:
    # what khanalytics/, scripts/, benchmarks/ and notebooks/ write as fig.x or figures.x
    pattern = re.compile(r"\b(?:fig|figures)\.([A-Za-z_][A-Za-z0-9_]*)")
    called = set()
    for folder in ("khanalytics", "scripts", "benchmarks", "notebooks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".ipynb") and PACKAGE not in path.parents:
                text = path.read_text(encoding="utf-8")
                if re.search(r"import [\w, ]*\bfigures\b", text):
                    called |= set(pattern.findall(text))
    plotly_figure = {"layout", "data", "update_layout", "to_plotly_json", "to_json", "html", "add_trace", "show"}
    assert {"choropleth", "tile_map", "small_multiples", "kpi_cards"} <= called  # the search does find callers
    assert called - plotly_figure <= set(dir(figures)), called - plotly_figure - set(dir(figures))


def test_rooms_are_small_and_have_docstrings() -> None:
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) < 600, path.name
        tree = ast.parse(text)
        assert ast.get_docstring(tree), path.name
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                assert ast.get_docstring(node), f"{path.name}: {node.name}"
        assert "raise ValueError" not in text and "raise TypeError" not in text, path.name


def test_errors_are_one_bilingual_family() -> None:
    assert issubclass(figures.FigureError, KhanalyticsError) and issubclass(figures.FigureError, ValueError)
    assert issubclass(figures.FigureTypeError, TypeError)
    with pytest.raises(figures.FigureError) as err:
        figures.trend(cluster_series().drop(columns="role"), indicator_label="x")
    assert "thiếu cột" in err.value.vi and "missing columns" in err.value.en and err.value.rule == "missing_columns"
    assert err.value.message("en").startswith("parameter series: ")
    with pytest.raises(TypeError, match="DataFrame"):
        figures.ranked_bar({"code": ["01"]}, indicator_label="x")  # type: ignore[arg-type]


# --- figures in pages -----------------------------------------------------------------------------------------


def test_page_is_self_contained(tmp_path: Path) -> None:
    fig = draw_map("2025")
    path = pages.write_page(
        tmp_path / "p.html",
        f"Báo cáo {EVIL}",
        [
            pages.heading("Bản đồ"),
            fig,
            figures.kpi_cards([{"label": "a", "value_text": "1"}]),
            f"ghi chú {EVIL}",
        ],
        subtitle="đến hết 6/2019",
        notice="Số liệu minh hoạ",
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="vi">' in text
    assert text.count("plotly.js v") == 1  # the bundle's banner: embedded exactly once
    assert not re.search(r"<script[^>]+src=", text)  # nothing loaded from elsewhere
    assert "require.js" not in text and "MathJax.Hub" not in text and "mathjax" not in text.split("<body>")[1]
    assert text.index("PlotlyGeoAssets=w.PlotlyGeoAssets") < text.index("plotly.js v")
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "Số liệu minh hoạ" in text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    # a map carries its phone layout in layout.meta: its div must still be reproducible
    assert assets.figure_div(fig) == assets.figure_div(fig) and "kha_adapt" in assets.figure_div(fig)
