"""Figures as files for slides: PNG, SVG, PDF drawn by kaleido in Chromium, maps with no network."""

import re

import pytest

from khanalytics import figures
from khanalytics.analysis import load_observations, province_values
from khanalytics.figures.export import ExportError, save_figure

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def the_map(sample_store):
    values = province_values(load_observations(sample_store), "membership_rate", "2019-H1")
    return figures.choropleth(values[["code", "value"]], edition="2008", indicator_label="Tỉ lệ hội viên",
                              title="Tỉ lệ hội viên/dân số — Đắk Lắk, Thừa Thiên Huế, 6/2019")


def test_svg_of_a_map_draws_every_province_offline_with_vietnamese_text(the_map, tmp_path):
    # the machine has no route to cdn.plot.ly: a map that asked for its base topology would fail here
    svg = save_figure(the_map, tmp_path / "ban_do.svg", width=900, height=1000).read_text(encoding="utf-8")
    assert svg.count('class="choroplethlocation"') == 63
    assert "Đắk Lắk, Thừa Thiên Huế" in svg  # composed diacritics kept as text


def test_png_and_pdf(the_map, tmp_path):
    png = save_figure(the_map, tmp_path / "ban_do.png", width=600, height=700, scale=2).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 1400)  # scale 2 for a sharp slide
    pdf = save_figure(the_map, tmp_path / "ban_do.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and re.search(rb"/Type\s*/Page\b", pdf)


def test_an_unknown_format_is_refused_in_both_languages(the_map, tmp_path):
    with pytest.raises(ExportError) as err:
        save_figure(the_map, tmp_path / "ban_do.jpg2")
    assert ".png, .svg" in err.value.vi and "choose .png" in err.value.en
    assert not (tmp_path / "ban_do.jpg2").exists()
