"""What every room of :mod:`khanalytics.figures` shares: the words, text escaping, input checks, province codes."""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from khanalytics import geography
from khanalytics.errors import KhanalyticsError
from khanalytics.periods import Period

ROLES = ("province", "cluster", "national")
"""The roles a line of a trend plays (``series["role"]``)."""
STATUSES = ("above", "below", "equal")
"""A scorecard cell against the national value (``cells["status"]``; None = nothing to compare)."""

WORDS = {
    "vi": {
        "no_data": "Không có số liệu",
        "highlight": "Cụm được chọn",
        "provinces": "Các tỉnh",
        "province": "Tỉnh",
        "others": "Tỉnh khác",
        "above": "Cao hơn cả nước",
        "below": "Thấp hơn cả nước",
        "equal": "Bằng cả nước",
        "national": "cả nước",
        "target": "Mục tiêu",
        "synthetic": "Số liệu minh hoạ (giả lập), không phải số liệu thực của các tỉnh",
    },
    "en": {
        "no_data": "No data",
        "highlight": "Selected cluster",
        "provinces": "Provinces",
        "province": "Province",
        "others": "Other provinces",
        "above": "Above national",
        "below": "Below national",
        "equal": "Equal to national",
        "national": "national",
        "target": "Target",
        "synthetic": "Illustrative (synthetic) data, not the provinces' real figures",
    },
}


class FigureError(KhanalyticsError, ValueError):
    """An input a figure cannot draw: a missing column, an unknown code or role, a bad option."""

    rule = "bad_figure_input"


class FigureTypeError(KhanalyticsError, TypeError):
    """A figure was handed something other than the table it draws."""

    rule = "not_a_table"


def is_missing_text(x: object) -> bool:
    """True for None/NaN/empty strings (names are optional in several inputs)."""
    return (
        x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, str) and not x.strip()) or (x is pd.NA)
    )


def t(text: object) -> str:
    """Plain text for plotly: escape &, <, > (plotly renders a subset of HTML and decodes entities back)."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int) -> str:
    """Escape, then break a long line into plotly lines (plotly never wraps by itself)."""
    return _wrap(text, width) if isinstance(text, str) else _wrap.__wrapped__(text, width)


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> str:
    """:func:`wrap`, kept: a figure wraps the same titles and notes for each layout, and every report again."""
    return "<br>".join(t(line) for line in textwrap.wrap(str(text), width=width)) if text else ""


def lines(text: str) -> int:
    """How many plotly lines a wrapped text takes."""
    return text.count("<br>") + 1 if text else 0


def require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Refuse anything but a DataFrame with ``columns``, naming what is missing."""
    if not isinstance(frame, pd.DataFrame):
        kind = type(frame).__name__
        raise FigureTypeError(
            f"{what} phải là pandas DataFrame, nhận được {kind}",
            f"{what} must be a pandas DataFrame, got {kind}",
            parameter=what,
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FigureError(
            f"{what} thiếu cột {missing}; có {list(frame.columns)}",
            f"{what} is missing columns {missing}; has {list(frame.columns)}",
            rule="missing_columns",
            parameter=what,
        )


def codes(series: pd.Series) -> pd.Series:
    """Province codes as the map writes them: two digits, as text ("1" → "01", 22.0 from a float column → "22")."""
    text = series.astype(str).str.strip()
    return text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True).str.zfill(2)


def name_col(lang: str) -> str:
    """The column holding province names in ``lang``."""
    return "name_en" if lang == "en" else "name_vi"


def province_names(province_codes: Iterable[str], edition: str, lang: str) -> list[str]:
    """Official names of ``province_codes`` on ``edition``'s map; a code nobody knows stays a code."""
    out = []
    for code in province_codes:
        try:
            out.append(geography.province_name(code, edition, lang))
        except geography.GeographyError:
            out.append(code)
    return out


def values_by_code(values: pd.DataFrame, known: Sequence[str], edition: str) -> pd.DataFrame:
    """``values`` indexed by code, refusing duplicate codes and codes not on ``edition``'s map."""
    require(values, ("code", "value"), "values")
    out = values.copy()
    out["code"] = codes(out["code"])
    dup = out["code"][out["code"].duplicated()].unique().tolist()
    if dup:
        raise FigureError(
            f"values có mã trùng: {dup}", f"values has duplicate codes: {dup}", rule="duplicate_codes", value=dup
        )
    unknown = sorted(set(out["code"]) - set(known))
    if unknown:
        raise FigureError(
            f"values có mã không thuộc bản đồ {edition}: {unknown}",
            f"values has codes not on the {edition} map: {unknown}",
            rule="unknown_codes",
            value=unknown,
        )
    return out.set_index("code")


def synthetic_note(frame: pd.DataFrame, note: str | None, lang: str) -> str | None:
    """``note`` led by the synthetic-data notice when any row of ``frame`` is synthetic.

    The analysis marks every synthetic figure (a ``synthetic`` column); a figure drawn straight from such a
    table must say so wherever it is pasted, not only inside a report whose first screen says it.
    """
    flags = frame["synthetic"] if "synthetic" in frame.columns else pd.Series(dtype=bool)
    if not flags.fillna(False).astype(bool).any():
        return note
    notice = WORDS[lang]["synthetic"]
    return f"{notice} · {note}" if note else notice


def require_rows_on(values: pd.DataFrame, edition: str, what: str) -> None:
    """Refuse an unmarked frame whose own rows say it is of the other map.

    A frame that declares its map (``attrs`` or an ``edition`` column) was checked by
    ``geography.require_edition`` and is taken at its word (a harmonised series declares the map it was
    re-expressed on). An unmarked one is read for evidence: periods of the other map (2026-H1 is on the
    2025 map), codes only the other map has, or names that give the row's code only on the other map
    ("Bắc Ninh" with code 24 is the new province; on the 2008 map 24 is Bắc Giang). Any of these stops
    with ``EditionMismatchError`` instead of drawing one province's value on another's land.
    """
    if geography.edition_of(values) is not None or "edition" in values.columns:
        return
    other = "2025" if edition == "2008" else "2008"
    found_vi: list[str] = []
    found_en: list[str] = []
    if "period" in values.columns:
        periods = sorted({str(p) for p in values["period"].dropna()
                          if geography.edition_for(Period.parse(str(p))) == other})
        if periods:
            found_vi.append(f"kỳ {', '.join(periods)}")
            found_en.append(f"the period(s) {', '.join(periods)}")
    code = codes(values["code"])
    theirs = sorted(set(code) - set(geography.province_codes(edition)) & set(geography.province_codes(other)))
    if theirs:
        found_vi.append(f"mã {', '.join(theirs)}")
        found_en.append(f"the code(s) {', '.join(theirs)}")
    elif edition == "2008" and set(code) == set(geography.province_codes(other)):
        # exactly the 34 codes of the new map: a 2025 table that lost its mark (mark it to draw it on 2008)
        found_vi.append("đúng 34 mã của bản đồ mới (đánh dấu bảng bằng geography.with_edition nếu đây là bản đồ 2008)")
        found_en.append("exactly the 34 codes of the new map (mark the frame with geography.with_edition if it "
                        "really is of the 2008 map)")
    for col in ("name", "name_vi", "name_en"):
        if col in values.columns:
            here = geography.resolve_provinces(values[col], edition=edition, errors="coerce")
            there = geography.resolve_provinces(values[col], edition=other, errors="coerce")
            wrong = (here.fillna("") != code.to_numpy()) & (there.fillna("") == code.to_numpy())
            named = [f"{n} ({c})" for n, c in zip(values[col][wrong.to_numpy()], code[wrong.to_numpy()], strict=True)]
            if named:
                found_vi.append(f"tên {', '.join(named[:5])}")
                found_en.append(f"the name(s) {', '.join(named[:5])}")
            break
    if found_vi:
        raise geography.EditionMismatchError(
            f"{what}: bảng không ghi bản đồ, nhưng {'; '.join(found_vi)} thuộc bản đồ {other}, không phải {edition}. "
            f"Vẽ trên bản đồ {other} (edition='{other}'), hoặc chuyển đổi bằng analysis.harmonise(…, to='{edition}').",
            f"{what}: the frame does not say its map, but {'; '.join(found_en)} belong to the {other} map, not "
            f"{edition}. Draw it on the {other} map (edition='{other}'), or re-express it with "
            f"analysis.harmonise(…, to='{edition}').",
            value=what,
        )


def highlight_codes(highlight: Iterable[str] | None, known: Sequence[str], edition: str) -> list[str]:
    """The highlighted codes, two digits each, all on ``edition``'s map."""
    wanted = [str(c).strip().zfill(2) for c in (highlight or [])]
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise FigureError(
            f"highlight có mã không thuộc bản đồ {edition}: {unknown}",
            f"highlight has codes not on the {edition} map: {unknown}",
            rule="unknown_codes",
            parameter="highlight",
            value=unknown,
        )
    return wanted


def map_values(vals: pd.DataFrame, known: Sequence[str], fallback: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Name and value of every province of the map, in ``known`` order: a ``name`` column wins over ``fallback``,
    an absent province is NaN ("no data")."""
    given = vals["name"] if "name" in vals.columns else pd.Series(dtype=object)
    names = [
        str(given.get(c)) if c in given.index and not is_missing_text(given.get(c)) else f
        for c, f in zip(known, fallback, strict=True)
    ]
    raw = pd.Series([vals["value"].get(c) if c in vals.index else np.nan for c in known], dtype=object)
    return names, pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)


def legend_swatches(fig: go.Figure, entries: Sequence[tuple[str, str]], group: str | None = None, *,
                    geo: bool = False) -> None:
    """Legend entries as square swatches: empty traces, on the map (``geo``) or on x/y axes."""
    trace, where = (go.Scattergeo, dict(lon=[None], lat=[None])) if geo else (go.Scatter, dict(x=[None], y=[None]))
    for label, color in entries:
        fig.add_trace(
            trace(
                **where,
                mode="markers",
                name=t(label),
                showlegend=True,
                hoverinfo="skip",
                marker=dict(symbol="square", size=14, color=color, line=dict(width=0.6, color="#8A94A0")),
                legendgroup=group,
            )
        )


def add_annotations(fig: go.Figure, items: Iterable[dict]) -> None:
    """Add annotations (``fig.add_annotation``'s keywords each, no ``row``/``col``) in one assignment.

    ``add_annotation`` re-validates, copying, every annotation already there, so n of them added one by one
    cost n²/2 copies (most of the time of a panel figure).
    """
    new = tuple(go.layout.Annotation(**kw) for kw in items)
    if new:
        fig.layout.annotations = (*fig.layout.annotations, *new)


def add_shapes(fig: go.Figure, items: Iterable[dict]) -> None:
    """Add shapes (``fig.add_shape``'s keywords each, no ``row``/``col``) in one assignment, as
    :func:`add_annotations` does annotations."""
    new = tuple(go.layout.Shape(**kw) for kw in items)
    if new:
        fig.layout.shapes = (*fig.layout.shapes, *new)


def rule(fig: go.Figure, value: float, *, vertical: bool, line: dict, layer: str = "above") -> None:
    """A line across the whole plot at ``value`` (a reference such as the country's rate, or a target)."""
    across = dict(yref="paper", y0=0, y1=1, x0=value, x1=value) if vertical else dict(
        xref="paper", x0=0, x1=1, y0=value, y1=value)
    fig.add_shape(type="line", layer=layer, line=line, **across)
