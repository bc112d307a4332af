"""Pages and fragments come only from autoescaped templates; files are written atomically."""

import os
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from markupsafe import Markup

from khanalytics.report import pages

EVIL = "<img src=x onerror=alert(1)>"


def _figure() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"height": 300})


def test_page_is_self_contained_and_escapes_every_text(tmp_path: Path) -> None:
    path = pages.write_page(tmp_path / "p.html", f"Báo cáo {EVIL}", [pages.heading("Bản đồ"), _figure(),
                                                                        Markup("<b>ours</b>"), f"ghi chú {EVIL}"],
                            subtitle=EVIL, notice="Số liệu minh hoạ", footer=EVIL)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="vi">' in text
    assert text.count("plotly.js v") == 1  # the bundle's banner: embedded exactly once
    assert not re.search(r"<script[^>]+src=", text)
    assert text.index("PlotlyGeoAssets=w.PlotlyGeoAssets") < text.index("plotly.js v")
    assert EVIL not in text and text.count("&lt;img src=x onerror=alert(1)&gt;") == 5  # title, h1, subtitle, text, footer
    assert "<b>ours</b>" in text and "<h2>Bản đồ</h2>" in text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_fragments_escape_their_arguments() -> None:
    assert pages.fragment("paragraph", EVIL, "kha-notice") == Markup(
        '<p class="kha-notice">&lt;img src=x onerror=alert(1)&gt;</p>')
    assert pages.fragment("items", [EVIL, "b"]).count("<li>") == 2 and EVIL not in pages.fragment("items", [EVIL])
    link = pages.fragment("downloads", "Tải:", [{"name": f"{EVIL}.csv", "mime": "text/csv", "data": "QQ=="}])
    assert EVIL not in link and 'href="data:text/csv;base64,QQ=="' in link


def test_heading_levels_are_checked() -> None:
    assert pages.heading("x", 1) == Markup("<h1>x</h1>")
    with pytest.raises(ValueError, match="1..6"):
        pages.heading("x", 7)


def test_the_environment_escapes_every_template() -> None:
    env = pages.environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x=EVIL) == "&lt;img src=x onerror=alert(1)&gt;"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.html"
    target.write_text("old", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        pages.atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_bad_blocks_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="block"):
        pages.write_page(tmp_path / "x.html", "x", [42])  # type: ignore[list-item]
    assert not (tmp_path / "x.html").exists()
