"""One unit's published record: its figures in date order with their sources, and the flags that concern it.

A reader asks for "Hải Dương", "Gia Lai", "Cụm 8" or "Toàn quốc". A province
name is looked up on both maps ("Gia Lai" is the old province on the 2008 map
and the new one on the 2025 map: both records are shown, each on its map),
and figures from before 1/8/2008 are included under the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from khanalytics import clusters as clu
from khanalytics import geography as geo
from khanalytics.published.asof import PRE_2008
from khanalytics.published.asof import asof_of as _asof
from khanalytics.published.checks import RULES, consistency_flags, flags_for
from khanalytics.published.units import UnitError, is_country
from khanalytics.published.values import indicator_label, row_value_text
from khanalytics.text import fold

TABLE_COLUMNS = {
    "vi": ("Đơn vị", "Bản đồ", "Thời điểm", "Chỉ tiêu", "Giá trị", "Trích dẫn", "Nguồn", "Trang", "Hàng", "Tệp"),
    "en": ("Unit", "Map", "As of", "Indicator", "Value", "Quote", "Source", "Page", "Row", "File"),
}


@dataclass
class UnitRecord:
    """What the record says about one unit: a label, its rows (date order) and the flags that concern them."""

    label: str
    rows: pd.DataFrame
    flags: pd.DataFrame

    def table(self, lang: str = "vi") -> pd.DataFrame:
        """The rows as a reader sees them: unit, map, date, indicator, value as written, quote, source, row."""
        names = TABLE_COLUMNS["en" if lang == "en" else "vi"]
        data = [
            (r.unit, r.edition or "", _asof(r).label(lang), indicator_label(r, lang),
             row_value_text(r, lang), r.quote, r.source_url,
             r.page_title, r.row, getattr(r, "file_name", ""))
            for r in self.rows.itertuples(index=False)
        ]
        return pd.DataFrame(data, columns=list(names))

    def flag_table(self, lang: str = "vi") -> pd.DataFrame:
        """The flags as a reader sees them: rule, message, both sides and their sources."""
        en = lang == "en"
        return pd.DataFrame({
            ("Rule" if en else "Quy tắc"): [RULES[r][1 if en else 0] for r in self.flags["rule"]],
            ("Finding" if en else "Phát hiện"): self.flags["message_en" if en else "message_vi"],
            ("Side A" if en else "Bên A"): self.flags["side_a_en" if en else "side_a_vi"],
            ("Side B" if en else "Bên B"): self.flags["side_b_en" if en else "side_b_vi"],
            ("Source A" if en else "Nguồn A"): self.flags["source_a"],
            ("Source B" if en else "Nguồn B"): self.flags["source_b"],
        })


def find_unit(record: pd.DataFrame, unit: str, *, edition: str | None = None) -> tuple[str, pd.DataFrame]:
    """(label, rows) of the record about ``unit``: the country, a cluster, a province (both maps), or as written.

    UnitError when nothing in the record or the reference data answers to the name.
    """
    text = str(unit).strip()
    if is_country(text):
        return "Toàn quốc", _ordered(record[record["unit_type"] == "national"])
    looks_cluster = fold(text).startswith(("cum", "cluster")) or ("-" in text and text == text.lower())
    if not looks_cluster:
        found = _provinces(record, text, edition)
        if found is not None:
            return found
    try:
        g = clu.load_clusters().get(text)
        rows = record[(record["unit_type"] == "cluster") & (record["code"] == g.slug)]
        return g.name_vi, _ordered(rows)
    except clu.ClusterError:
        pass
    written = record[record["unit"].map(fold) == fold(text)]
    if not written.empty:
        return text, _ordered(written)
    raise UnitError(f"Không có đơn vị {text!r} trong số liệu công bố (tỉnh, cụm hoặc 'Toàn quốc').",
                    f"no unit {text!r} in the published record (a province, a cluster or 'Toàn quốc').", value=text)


def _provinces(record: pd.DataFrame, text: str, edition: str | None) -> tuple[str, pd.DataFrame] | None:
    places = []
    for ed in ([geo.check_edition(edition)] if edition else list(geo.EDITIONS)):
        try:
            places.append((ed, geo.resolve_province(text, edition=ed)))
        except geo.GeographyError:
            continue
    if not places:
        return None
    wanted = set(places) | {(PRE_2008, code) for ed, code in places if ed == "2008"}
    keys = list(zip(record["edition"], record["code"], strict=True))
    rows = record[(record["unit_type"] == "province") & pd.Series([k in wanted for k in keys], index=record.index)]
    label = " / ".join(f"{geo.province_name(code, ed)} ({ed}: {code})" for ed, code in places)
    return label, _ordered(rows)


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values(["asof_end", "indicator", "row"], na_position="last").reset_index(drop=True)


def unit_record(record: pd.DataFrame, unit: str, *, obs: pd.DataFrame | None = None,
                edition: str | None = None) -> UnitRecord:
    """A unit's rows and the flags about them, checked against the whole record (and ``obs`` when given)."""
    label, rows = find_unit(record, unit, edition=edition)
    flags = consistency_flags(record, obs)
    return UnitRecord(label, rows, flags_for(flags, rows) if not rows.empty else flags.iloc[0:0])


def write_unit_xlsx(unit: UnitRecord, path: str | Path, lang: str = "vi") -> Path:
    """The unit's record and its flags as an xlsx workbook (sheets "Số liệu công bố" and "Mâu thuẫn").

    Every text cell is written as text: a quote starting with "=" stays a quote, never a formula.
    """
    from openpyxl import Workbook

    en = lang == "en"
    book = Workbook()
    sheets = ((book.active, "Published figures" if en else "Số liệu công bố", unit.table(lang)),
              (book.create_sheet(), "Contradictions" if en else "Mâu thuẫn", unit.flag_table(lang)))
    for sheet, title, frame in sheets:
        sheet.title = title
        sheet.append(list(frame.columns))
        for values in frame.itertuples(index=False):
            sheet.append([None if v is None or v != v else v for v in values])
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target
