import csv
from pathlib import Path

import pandas as pd
import pytest

from khanalytics.published.record import read_published, record_frame
from khanalytics.published.store import import_demo_record
from khanalytics.report import make_params, open_report
from khanalytics.report import published as rp
from khanalytics.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("published") / "s.duckdb"
    with Store(path) as s:
        s.import_files([SAMPLE / "bao_cao_2023-H1.xlsx", SAMPLE / "bao_cao_2024-H2.xlsx"])
        import_demo_record(s)
    return path


def report(store: Path, kind: str, **params):
    return open_report(make_params(kind, store=store, **params))


def test_hai_duong_2023_h1_shows_more_than_755000_with_its_source(store):
    rep = report(store, "province", province="Hải Dương", period="2023-H1")
    html = str(rp.published_beside(rep).html)
    assert "hơn 755.000" in html
    assert 'href="https://baohaiduong.vn/en/tong-quy-khuyen-hoc-cua-hai-duong-gan-155-ty-dong-349398.html"' in html
    assert "<q>By June 2023, the province had more than 755,000 members" in html
    assert "706.059 (minh hoạ)" in html and "KHÁC số trong kho" in html  # the synthetic value disagrees, and says so
    assert not rep.tables["cong_bo"].empty


def test_gia_lai_2024_h2_shows_its_published_members(store):
    rep = report(store, "province", province="Gia Lai", period="2024-H2", lang="en")
    section = rp.published_beside(rep)
    html = str(section.html)
    assert "282,700" in html and 'href="https://vietnam.vn/en/5-nam-huy-dong-gan-140-ty' in html
    assert "18.53%" in html or "18.53 %" in html
    table = section.tables["published"]
    assert set(table["period"]) == {"2024", "2024-12"}


def test_a_unit_without_figures_says_so(store):
    rep = report(store, "province", province="Cao Bằng", period="2023-H1")
    assert "Không có số liệu công bố" in str(rp.published_beside(rep).html)


def test_province_profile_timeline_links_every_point(store):
    rep = report(store, "province", province="Cà Mau", period="2024-H2")
    section = rp.published_record(rep)
    (fig,) = section.figures
    members = [t for t in fig.data if t.yaxis in (None, "y")]
    assert members and all(url.startswith("http") for url, _ in members[0].customdata)
    html = str(section.html)
    assert "SỐ LIỆU ĐÃ CÔNG BỐ" in html and "[1]" in html and "baoanhdatmui.vn" in html
    assert "19,6 %" in html and "10,0 %" in html  # the contradiction, named
    assert any(s == "x" for t in fig.data for s in t.marker.symbol)  # the contradicted points are marked


def test_national_overview_draws_the_published_series(store):
    rep = report(store, "national", period="2024-H2")
    section = rp.national_series(rep)
    (fig,) = section.figures
    years = pd.to_datetime(pd.Series(fig.data[0].x)).dt.year
    assert min(years) == 1996 and max(years) == 2025
    assert "SỐ LIỆU ĐÃ CÔNG BỐ" in str(section.html) and "minh hoạ" in fig.layout.annotations[-1].text
    assert "7.115.513" in str(section.html) and "6.500.000" in str(section.html)


def test_unconfirmed_cluster_notice(store):
    assert "CHƯA XÁC NHẬN" in rp.cluster_notice(report(store, "cluster", cluster="5", period="2024-H2"))
    assert rp.cluster_notice(report(store, "cluster", cluster="8", period="2024-H2")) is None
    assert rp.cluster_notice(report(store, "cluster", cluster="6", period="2023-H1")) is None  # now from the press
    assert "UNCONFIRMED" in rp.cluster_notice(report(store, "province", province="Đà Nẵng", period="2024-H2",
                                                     lang="en"))


def test_text_from_a_users_file_is_escaped_and_only_http_links(store, tmp_path):
    path = tmp_path / "mine.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "unit_type", "period", "indicator", "value", "qualifier", "quote", "source_url",
                    "page_title"])
        w.writerow(["Hải Dương", "province", "2023-H1", "branches", "3000", "=", "<script>alert(1)</script>",
                    "javascript:alert(1)", "<b>x</b>"])
    rep = report(store, "province", province="Hải Dương", period="2023-H1")
    html = str(rp.published_beside(rep, record_frame(read_published(path).rows)).html)
    assert "<script>" not in html and "&lt;script&gt;" in html and "javascript:" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_record_of_one_date_gets_a_year_axis_not_milliseconds():
    import pandas as pd

    from khanalytics.report.published import _year_axis

    axis = _year_axis(pd.Series(pd.to_datetime(["2025-12-31", "2025-12-31"])))
    assert axis["tickformat"] == "%Y" and axis["range"] == ["2023-07-01", "2027-07-01"]
    wide = _year_axis(pd.Series(pd.to_datetime(["1996-12-31", "2025-06-30"])))
    assert wide["range"] == ["1995-07-01", "2026-07-01"] and wide["dtick"] == "M24"
