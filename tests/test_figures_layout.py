"""The page furniture (figures/layout.py): title block in pixels, provenance note, the phone layout."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from khanalytics import figures
from khanalytics.figures import layout
from tests.figure_data import cluster_series, draw_map, tile_grid, values


def test_every_figure_has_a_phone_layout() -> None:
    s = cluster_series()
    figs = [
        draw_map("2025"),
        figures.trend(s, indicator_label="x"),
        figures.small_multiples(s, indicator_label="x"),
        figures.tile_map(values("2025"), edition="2025", indicator_label="x", grid=tile_grid("2025")),
    ]
    for fig in figs:
        adapt = fig.layout.meta["kha_adapt"]
        assert adapt["below"] == figures.NARROW_PX
        assert set(adapt["narrow"]["layout"]) == set(adapt["wide"]["layout"])
        assert adapt["narrow"]["layout"]["height"] >= adapt["wide"]["layout"]["height"]
    trend, multiples = figs[1], figs[2]
    narrow = trend.layout.meta["kha_adapt"]["narrow"]["layout"]
    hidden = [k for k, v in narrow.items() if k.endswith(".visible") and v is False]
    assert len(hidden) == 5  # the five end labels
    narrow = multiples.layout.meta["kha_adapt"]["narrow"]["layout"]
    assert narrow["xaxis2.domain"][0] > 0.5 and narrow["xaxis3.domain"][0] == 0  # 2 columns instead of 4
    tiles = figs[3].layout.meta["kha_adapt"]["narrow"]
    assert tiles["style"]["textfont.size"] == [8] and tiles["layout"]["xaxis.domain"] == [0, 1]



def test_title_block_is_laid_out_in_pixels() -> None:
    short = layout.title_block("Tỉ lệ", None, height=500, legend="keep", extra_top=0, narrow=False)
    assert short["margin.t"] == 12 + 26 + 14 and short["title.y"] == 1 - 12 / 500
    long_title = "Tỉ lệ hội viên Hội Khuyến học trên dân số của các tỉnh trong cụm thi đua"
    wide = layout.title_block(long_title, "đến hết 6/2019", height=500, legend="top", extra_top=0, narrow=False)
    narrow = layout.title_block(long_title, "đến hết 6/2019", height=500, legend="top", extra_top=0, narrow=True)
    assert narrow["title.text"].count("<br>") > wide["title.text"].count("<br>")
    assert narrow["margin.t"] > wide["margin.t"]
    assert wide["legend.orientation"] == "h" and wide["legend.y"] < wide["title.y"]


def test_finish_escapes_the_note_and_keeps_the_titles_for_the_phone() -> None:
    fig = layout.finish(go.Figure(), lang="en", title="T <b>", subtitle=None, note="Nguồn <x> & co", height=400)
    note = next(a for a in fig.layout.annotations if a.name == "provenance")
    assert note.text == "Nguồn &lt;x&gt; &amp; co"
    assert fig.layout.title.text == "T &lt;b&gt;" and fig.layout.separators == ".,"
    assert fig.layout.meta["kha_titles"]["title"] == "T <b>"
    assert fig.layout.meta["kha_adapt"]["below"] == figures.NARROW_PX == 600


def test_set_adapt_records_both_sides_of_a_restyle() -> None:
    fig = go.Figure(go.Scatter(x=[1], y=[1], textfont=dict(size=12)))
    fig = layout.finish(fig, lang="vi", title="x", subtitle=None, note=None, height=400)
    layout.set_adapt(fig, {"margin.r": 4}, style={"textfont.size": 8}, height=300)
    adapt = fig.layout.meta["kha_adapt"]
    assert adapt["narrow"]["style"] == {"textfont.size": [8]} and adapt["wide"]["style"] == {"textfont.size": [12]}
    assert adapt["narrow"]["layout"]["margin.r"] == 4
    assert adapt["narrow"]["layout"]["height"] == 300 + 60 - 34  # the plot's own height + the taller legend row
    assert adapt["wide"]["layout"]["height"] == 400


def test_the_phone_layout_rewraps_the_note_and_makes_room_for_it() -> None:
    note = "Ranh giới: bản đồ 63 tỉnh, thành phố (2008–6/2025), ranh giới gần đúng do khanalytics tạo từ tọa độ xã " * 2
    fig = layout.finish(go.Figure(go.Scatter(x=[1], y=[1])), lang="vi", title="T", subtitle=None, note=note, height=400)
    i = next(k for k, a in enumerate(fig.layout.annotations) if a.name == "provenance")
    adapt = fig.layout.meta["kha_adapt"]
    narrow, wide = adapt["narrow"]["layout"], adapt["wide"]["layout"]
    longest = max(len(line) for line in narrow[f"annotations[{i}].text"].split("<br>"))
    assert longest <= layout.NOTE_CHARS[1] < layout.NOTE_CHARS[0]
    assert wide[f"annotations[{i}].text"] == fig.layout.annotations[i].text
    grown = narrow["margin.b"] - wide["margin.b"]
    assert grown > 0 and narrow["height"] - wide["height"] == grown + 60 - 34  # the note's lines and the legend


def test_a_long_legend_gets_the_rows_it_needs() -> None:
    names = ["Cụm II – Đông Bắc: đạt danh hiệu", "Cụm II – Đông Bắc: đăng ký", "Cả nước: đạt danh hiệu"]
    fig = go.Figure([go.Scatter(x=[1], y=[1], name=n) for n in names])
    assert layout.legend_rows(fig, 1000) == 1 and layout.legend_rows(fig, 580) == 2
    assert layout.legend_rows(fig, layout.PHONE_PX) == 3
    fig = layout.finish(fig, lang="vi", title="T", subtitle=None, note=None, height=400)
    short = layout.finish(go.Figure(go.Scatter(x=[1], y=[1], name="a")), lang="vi", title="T", subtitle=None,
                          note=None, height=400)
    assert fig.layout.margin.t == short.layout.margin.t + 26  # a second legend row on the wide layout
    assert fig.layout.meta["kha_adapt"]["narrow"]["layout"]["margin.t"] == short.layout.margin.t + 26 * 2


def _figure() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="a"))
    fig.add_annotation(text="one", x=1, y=3)
    fig.add_annotation(text="two", x=2, y=4)
    return fig


def test_relayout_is_update_layout_without_parsing_paths() -> None:
    entries = {"title.text": "T", "title.pad.l": 10, "xaxis2.domain": [0.5, 1.0], "annotations[1].x": 1.5,
               "annotations[1].font.size": 9, "height": 300, "legend_x": 0.2}
    slow, fast = _figure(), _figure()
    for fig in (slow, fast):
        fig.update_layout(xaxis2=dict(anchor="y"))  # plotly's paths need the axis to be there
    for key, value in entries.items():
        slow.layout[key] = value
    layout.relayout(fast, entries)
    assert fast.to_dict() == slow.to_dict()
    # key for key the same once copied into a Figure (as finish hands figures out), whatever the order of
    # the keys of a new object (plotly's constructor order, or the order they were set in)
    assert go.Figure(fast).to_json() == go.Figure(slow).to_json()


def test_set_adapt_reads_the_wide_values_plotly_would_give() -> None:
    fig = _figure()
    fig.update_layout(xaxis=dict(domain=[0.0, 0.5]), margin=dict(b=20))
    fig.update_layout(meta={"kha_titles": {"title": "T", "subtitle": None, "legend": "keep", "extra_top": 0}},
                      height=300)
    narrow = {"xaxis.domain": [0.0, 1.0], "annotations[1].text": "x", "yaxis.dtick": 2, "margin.b": 9,
              "xaxis.title": None, "margin_b": 9}
    layout.set_adapt(fig, narrow)
    wide = fig.layout.meta["kha_adapt"]["wide"]["layout"]
    assert {k: wide[k] for k in narrow} == {k: fig.layout[k] for k in narrow}
    assert wide["xaxis.domain"] == (0.0, 0.5) and wide["annotations[1].text"] == "two" and wide["margin.b"] == 20
    with pytest.raises(KeyError, match="annotations"):  # as plotly says it
        layout.set_adapt(fig, {"annotations[5].x": 1})
