"""Legend classes (figures/classes.py): edges, labels in Vietnamese numbers, colours, the stepped scale."""

from __future__ import annotations

import numpy as np
import pytest

from khanalytics import figures
from khanalytics.figures import classes, theme


def test_fixed_bins_classify_at_the_edges() -> None:
    c = figures.legend_classes([5, 10, 19.99, 20, 40, 55, None], bins=[0, 10, 20, 30, 50])
    assert list(c.classify([5, 10, 19.99, 20, 40, 50, 55, None, np.nan])) == [0, 1, 1, 2, 3, 3, 3, -1, -1]
    # 55 is above the last edge: the last class becomes open-ended
    assert c.labels == ("0 – 10 %", "10 – 20 %", "20 – 30 %", "≥ 30 %")
    assert c.no_data_label == "Không có số liệu"
    c_en = figures.legend_classes([5, 15], bins=[0, 10, 20], lang="en")
    assert c_en.labels == ("0 – 10%", "10 – 20%") and c_en.no_data_label == "No data"


def test_quantile_classes() -> None:
    v = np.arange(1, 101, dtype=float)
    c = figures.legend_classes(v, k=4, decimals=2)
    assert c.k == 4
    counts = np.bincount(c.classify(v))
    assert counts.min() >= 20 and counts.sum() == 100
    assert c.edges[0] <= 1 and c.edges[-1] >= 100
    # fixed bins for every period, computed once
    bins = figures.quantile_bins(np.r_[v, v + 5], k=5)
    assert len(bins) == 6 and bins == sorted(bins)
    with pytest.raises(ValueError):
        figures.legend_classes(v, bins=[0, 10, 5])


def test_decimal_comma_in_class_labels() -> None:
    c = figures.legend_classes([1.5, 2.5], bins=[0, 2.5, 5.25])
    # issue 13: one legend, one number of decimals (was "0 – 2,5 %", "2,5 – 5,25 %")
    assert c.labels == ("0,00 – 2,50 %", "2,50 – 5,25 %")


def test_every_class_label_has_the_same_decimals() -> None:
    c = figures.legend_classes([14, 20, 30, 32.4], bins=[14, 22.7, 27, 32.4])
    assert c.labels == ("14,0 – 22,7 %", "22,7 – 27,0 %", "27,0 – 32,4 %")
    quantiles = figures.legend_classes(np.linspace(14.03, 32.41, 40), k=5, decimals=2)
    places = {len(part.split(",")[1]) if "," in part else 0
              for label in quantiles.labels for part in label.rstrip(" %").split(" – ")}
    assert len(places) == 1
    assert figures.legend_classes([5, 55], bins=[0, 40, 50, 60]).labels == ("0 – 40 %", "40 – 50 %", "50 – 60 %")
    assert classes.common_decimals([0, 2.5, float("inf")], 2) == 1



def test_equal_intervals_and_open_ends() -> None:
    c = figures.legend_classes([0, 10], scheme="equal", k=2, decimals=1)
    assert c.edges == (0.0, 5.0, 10.0) and c.labels == ("0 – 5 %", "5 – 10 %")
    open_ended = figures.legend_classes([1, 50], bins=[-np.inf, 10, np.inf])
    assert open_ended.labels == ("< 10 %", "≥ 10 %")
    assert figures.legend_classes([], k=3).edges == (0.0, 1.0)  # nothing to classify: one class, not a crash
    assert figures.quantile_bins([]) == []


def test_bad_class_options_are_figure_errors() -> None:
    with pytest.raises(figures.FigureError, match="scheme") as err:
        figures.legend_classes([1, 2], scheme="jenks")  # type: ignore[arg-type]
    assert err.value.rule == "bad_scheme" and "hoặc" in err.value.vi
    with pytest.raises(ValueError, match="k must be at least 1"):
        figures.quantile_bins([1, 2], k=0)
    with pytest.raises(figures.FigureError, match="bins"):
        figures.legend_classes([1], bins=[3])


def test_stepped_scale_gives_each_class_exactly_its_colour() -> None:
    c = figures.legend_classes([5, 15, None], bins=[0, 10, 20])
    z, args = classes.class_z(c, np.array([5.0, 15.0, np.nan]))
    assert list(z) == [1, 2, 0]  # 0 is "no data"
    assert (args["zmin"], args["zmax"]) == (-0.5, 2.5)
    scale = args["colorscale"]
    assert [scale[2 * i][1] for i in range(3)] == [theme.ROLE_COLORS["no_data"], *c.colors]
    assert all(scale[2 * i][1] == scale[2 * i + 1][1] for i in range(3))
    assert classes.class_entries(c) == [(c.labels[1], c.colors[1]), (c.labels[0], c.colors[0]),
                                        (c.no_data_label, c.no_data_color)]


def test_trimmed_values() -> None:
    assert classes.trim(20.0, 2, "vi") == "20" and classes.trim(22.5, 2, "vi") == "22,5"
    assert classes.fmt_trim(70.0, "%", 2, "vi") == "70 %" and classes.fmt_trim(65.5, "%", 2, "en") == "65.5%"
    assert classes.fmt_trim(3.0, "người", 0, "vi") == "3 người"
