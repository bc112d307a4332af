"""Legend classes of the maps: bin edges, their labels and colours, and the stepped colour scale that draws them.

A map reads at a glance only if its classes are few and stable: compute edges once over every period
(:func:`quantile_bins`) and pass them as ``bins=`` so the legend stays fixed, like a DHIS2 legend set.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from khanalytics.figures import theme as th
from khanalytics.figures._common import WORDS, FigureError
from khanalytics.formatting import PERCENT_SUFFIX, check_lang, fmt_number


def trim(x: float, decimals: int, lang: str) -> str:
    """A bin edge with no useless trailing zeros: 20.0 → "20", 22.5 → "22,5"."""
    for d in range(decimals + 1):
        if abs(round(x, d) - x) < 1e-9:
            return fmt_number(x, d, lang)
    return fmt_number(x, decimals, lang)


def common_decimals(edges: Iterable[float], decimals: int) -> int:
    """The fewest decimals (at most ``decimals``) that write every finite edge exactly, so that all the
    labels of one legend carry the same decimals ("14,0 – 22,7 %" beside "27,0 – 32,4 %")."""
    finite = [x for x in edges if math.isfinite(x)]
    return next(
        (d for d in range(decimals + 1) if all(abs(round(x, d) - x) < 1e-9 for x in finite)), decimals
    )


def fmt_trim(x: float, unit: str | None, decimals: int, lang: str) -> str:
    """A value with its unit and no useless trailing zeros ("70 %", "65,5 %")."""
    text = trim(x, decimals, lang)
    if unit == "%":
        return text + PERCENT_SUFFIX[lang]
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True)
class LegendClasses:
    """Discrete map classes: ``edges`` (k+1 numbers), a label and a colour per class, plus "no data".

    Class ``i`` holds ``edges[i] <= v < edges[i+1]`` (the last one includes its upper edge); values
    outside the edges fall into the end classes, whose labels then read "< a" / "≥ b".
    """

    edges: tuple[float, ...]
    labels: tuple[str, ...]
    colors: tuple[str, ...]
    no_data_label: str
    no_data_color: str = th.ROLE_COLORS["no_data"]

    @property
    def k(self) -> int:
        """The number of classes, "no data" not counted."""
        return len(self.labels)

    def classify(self, values: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
        """Class index per value, −1 for missing."""
        v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
        idx = np.searchsorted(np.asarray(self.edges[1:-1], dtype=float), v, side="right")
        idx = np.clip(idx, 0, self.k - 1)
        return np.where(np.isfinite(v), idx, -1)


def _outer_edges(v: np.ndarray, decimals: int) -> tuple[float, float, float]:
    """The rounding step and the lowest and highest edges that still hold every value."""
    step = 10.0**-decimals
    return step, math.floor(v.min() / step + 1e-9) * step, math.ceil(v.max() / step - 1e-9) * step


def quantile_bins(values: Iterable[float], k: int = 5, decimals: int = 1) -> list[float]:
    """Class edges at the quantiles of ``values`` (rounded to ``decimals``, outer edges widened to include all).

    Compute them once over every period you will map to keep a legend fixed across periods (like a DHIS2
    legend set), then pass them as ``bins=``.
    """
    v = pd.to_numeric(pd.Series(list(values)), errors="coerce").dropna().to_numpy(dtype=float)
    if v.size == 0:
        return []
    if k < 1:
        raise FigureError(
            f"Số lớp k phải ít nhất là 1, nhận được {k}.", f"k must be at least 1, got {k}.", rule="bad_k", value=k
        )
    step, lo, hi = _outer_edges(v, decimals)
    inner = [round(float(q), decimals) for q in np.quantile(v, np.linspace(0, 1, k + 1)[1:-1])]
    edges = sorted({round(lo, decimals), *inner, round(hi, decimals)})
    if len(edges) == 1:
        edges = [edges[0], round(edges[0] + step, decimals)]
    return edges


def _edges(
    v: np.ndarray, bins: Sequence[float] | None, scheme: str, k: int, decimals: int
) -> list[float]:
    if bins is not None:
        edges = [float(b) for b in bins]
        if len(edges) < 2 or any(b >= a for a, b in zip(edges[1:], edges[:-1], strict=True)):
            raise FigureError(
                f"bins phải gồm ít nhất hai mốc tăng dần, nhận được {list(bins)}",
                f"bins must be at least two strictly increasing edges, got {list(bins)}",
                rule="bad_bins",
                parameter="bins",
                value=list(bins),
            )
        return edges
    if scheme not in ("quantile", "equal"):
        raise FigureError(
            f"scheme phải là 'quantile' hoặc 'equal', nhận được {scheme!r}",
            f"scheme must be 'quantile' or 'equal', got {scheme!r}",
            rule="bad_scheme",
            parameter="scheme",
            value=scheme,
        )
    if v.size == 0:
        return [0.0, 1.0]
    if scheme == "quantile":
        return quantile_bins(v, k, decimals)
    step, lo, hi = _outer_edges(v, decimals)
    hi = max(hi, lo + step)
    return sorted({round(lo + (hi - lo) * i / k, decimals) for i in range(k + 1)})


def legend_classes(
    values: Iterable[float],
    *,
    bins: Sequence[float] | None = None,
    scheme: Literal["quantile", "equal"] = "quantile",
    k: int = 5,
    unit: str | None = "%",
    decimals: int = 2,
    lang: str = "vi",
) -> LegendClasses:
    """The classes a map uses: fixed ``bins`` (k+1 increasing edges; ±inf allowed for open ends) or, if
    ``bins`` is None, ``scheme`` ("quantile" or "equal" intervals) with ``k`` classes over ``values``.
    Every label writes its edges with the same decimals (:func:`common_decimals`)."""
    lang = check_lang(lang)
    v = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").dropna().to_numpy(dtype=float)
    edges = _edges(v, bins, scheme, k, max(decimals - 1, 0))
    n = len(edges) - 1
    suffix = PERCENT_SUFFIX[lang] if unit == "%" else (f" {unit}" if unit else "")
    below = v.size > 0 and v.min() < edges[0]
    above = v.size > 0 and v.max() > edges[-1]
    places = common_decimals(edges, decimals)

    def edge(x: float) -> str:
        return fmt_number(x, places, lang)

    labels = []
    for i in range(n):
        a, b = edges[i], edges[i + 1]
        if i == 0 and (below or math.isinf(a)):
            labels.append(f"< {edge(b)}{suffix}")
        elif i == n - 1 and (above or math.isinf(b)):
            labels.append(f"≥ {edge(a)}{suffix}")
        else:
            labels.append(f"{edge(a)} – {edge(b)}{suffix}")
    return LegendClasses(tuple(edges), tuple(labels), tuple(th.sequential_colors(n)), WORDS[lang]["no_data"])


def stepped_scale(colors: Sequence[str]) -> list[list[Any]]:
    """A colourscale where integer z = i takes exactly ``colors[i]`` (use zmin=-0.5, zmax=len-0.5)."""
    n = len(colors)
    scale: list[list[Any]] = []
    for i, c in enumerate(colors):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def class_z(classes: LegendClasses, values: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    """z for a heatmap/choropleth (0 = no data, 1..k = classes) and the trace settings that colour it."""
    z = classes.classify(values) + 1
    colors = [classes.no_data_color, *classes.colors]
    return z, dict(colorscale=stepped_scale(colors), zmin=-0.5, zmax=len(colors) - 0.5, showscale=False)


def class_entries(classes: LegendClasses) -> list[tuple[str, str]]:
    """Legend entries (label, colour): the classes highest first, then "no data"."""
    return list(zip(classes.labels, classes.colors, strict=True))[::-1] + [
        (classes.no_data_label, classes.no_data_color)
    ]
