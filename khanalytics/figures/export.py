"""Figures as files for slides and documents: PNG, SVG or PDF.

kaleido drives a headless Chrome or Chromium (Debian's ``chromium`` will do)
to draw the figure with plotly.js. Two things make the files right here: the
base-map topology that plotly.js would fetch from cdn.plot.ly is answered by
the same empty ``data:`` topology the figures use offline, so maps export with
no network; and the text is drawn with the theme's fonts, whose fallbacks
(Noto Sans, DejaVu Sans, Liberation Sans) carry every Vietnamese diacritic.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from khanalytics.errors import KhanalyticsError
from khanalytics.figures.offline import topojson_url

FORMATS = ("png", "svg", "pdf")
"""The formats a figure can be saved as."""


class ExportError(KhanalyticsError, ValueError):
    """A figure could not be written as an image (unknown format, or no browser to draw it)."""

    rule = "figure_export"


@contextmanager
def _offline_base_map() -> Iterator[None]:
    before = pio.defaults.topojson
    pio.defaults.topojson = topojson_url()
    try:
        yield
    finally:
        pio.defaults.topojson = before


def save_figure(fig: go.Figure, path: str | os.PathLike[str], *, width: int | None = None,
                height: int | None = None, scale: float = 2.0) -> Path:
    """Write ``fig`` to ``path`` as PNG, SVG or PDF (by the file's suffix), for a slide or a printed page.

    ``width``/``height`` default to the figure's own layout size (a phone variant is not applied); ``scale``
    multiplies the pixels of a PNG (2 gives a sharp slide).
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(f"Không lưu được hình dạng {fmt or '(không có đuôi tệp)'!r}: chọn .png, .svg hoặc .pdf.",
                          f"Cannot save a figure as {fmt or '(no suffix)'!r}: choose .png, .svg or .pdf.",
                          file=str(target))
    width = width or fig.layout.width or 1000
    height = height or fig.layout.height or 700
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _offline_base_map():
            pio.write_image(fig, target, format=fmt, width=width, height=height, scale=scale)
    except (RuntimeError, OSError, ValueError) as err:
        if "chrome" not in str(err).lower() and "browser" not in str(err).lower():
            raise
        raise ExportError(
            "Không tìm thấy trình duyệt Chrome/Chromium để vẽ hình: cài `chromium` (Debian: apt-get install "
            "chromium) hoặc chạy `plotly_get_chrome`.",
            "No Chrome or Chromium found to draw the figure: install `chromium` (Debian: apt-get install "
            "chromium) or run `plotly_get_chrome`.", file=str(target)) from err
    return target
