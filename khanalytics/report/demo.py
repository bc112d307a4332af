"""The demo for someone who installed the package and has no data yet: the founding report, from shipped data.

``khanalytics demo --render`` imports the sample workbooks the package ships (every province, 2015-H1 to
2026-H1, **all synthetic**, see :data:`SYNTHETIC_NOTICE`) into ``data/khanalytics.duckdb`` of a folder and
renders the Cụm II report of 2019-H1 there — the one the cluster's meeting of November 2019 discussed —
so that ``khanalytics render …`` works from the same folder afterwards with its defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from khanalytics.errors import KhanalyticsError
from khanalytics.published import import_demo_record
from khanalytics.report.factory import ReportError, ReportResult, plan, render, shipped_dir
from khanalytics.report.params import DEFAULT_STORE

DEMO_CLUSTER = "dong-bac"
DEMO_PERIOD = "2019-H1"
SYNTHETIC_NOTICE = (
    "Số liệu minh hoạ: số liệu các tỉnh trong bộ mẫu là số liệu tổng hợp (giả lập), không phải báo cáo thật "
    "của các tỉnh; chỉ vài tổng số khớp với số đã công bố.",
    "Illustrative data: the provincial figures of the sample are synthetic (made up), not the provinces' real "
    "reports; only a few totals match published figures.",
)
"""What the demo says before it does anything (Vietnamese, English)."""


@dataclass
class DemoResult:
    """What the demo did: the store it filled, how many values were new to it (0 the second time), the report."""

    store: Path
    values_stored: int
    report: ReportResult


def demo_dir() -> Path:
    """The demo workbooks: shipped inside the package (``khanalytics/demo``), or ``data/sample`` of a checkout."""
    return shipped_dir("demo", "data/sample")


def demo_files() -> list[Path]:
    """The sample workbooks, one per half-year; an error (not an empty import) when the package lacks them."""
    files = sorted(demo_dir().glob("bao_cao_*.xlsx"))
    if not files:
        raise KhanalyticsError(f"Không có tệp mẫu trong {demo_dir()}: gói cài đặt thiếu dữ liệu minh hoạ.",
                               f"No sample workbooks in {demo_dir()}: the installed package lacks its demo data.",
                               rule="demo_data_missing", file=str(demo_dir()))
    return files


def render_demo(folder: str | Path = ".", *, lang: str = "vi") -> DemoResult:
    """Import the sample into ``folder``'s store (idempotent) and render the Cụm II 2019-H1 report there.

    A report that fails raises ReportError (with the failing cell), so that nobody looks for a page that is not there.
    """
    from khanalytics.store import Store

    root = Path(folder).resolve()
    store = root / DEFAULT_STORE
    with Store(store) as s:
        stored = sum(r.n_new for r in s.import_files(demo_files()))
        import_demo_record(s)  # the real figures the press published, beside the synthetic ones
    job = plan("cluster", key=DEMO_CLUSTER, period=DEMO_PERIOD, lang=lang, store=store, out_dir=root / "reports")
    result = render(job)
    if result.status != "ok":
        raise ReportError(f"Báo cáo minh hoạ không dựng được: {result.error}", f"The demo report failed: {result.error}",
                          cell=result.failing_cell)
    return DemoResult(store, stored, result)
