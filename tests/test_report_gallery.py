"""The gallery: every figure type on one page, on the sample store or on made-up values."""

from khanalytics.report.gallery import synthetic_data, write_gallery


def test_gallery_on_the_sample_store(sample_store, tmp_path):
    from khanalytics.report.gallery import sample_data, write_gallery

    data, synthetic = sample_data(sample_store)
    assert synthetic
    rate = data["members"].query("period == '2019-H1'")
    assert rate["members"].sum() == 19_797_618  # the sample's national members at 2019-H1, not made-up ones
    page = write_gallery(tmp_path / "g.html", store=sample_store).read_text(encoding="utf-8")
    assert "bộ số liệu mẫu" in page and "minh hoạ" in page


def test_without_a_store_the_values_are_made_up_and_say_so(tmp_path):
    data = synthetic_data(seed=7)
    assert set(data) >= {"members"} and len(data["members"]) > 0
    page = write_gallery(tmp_path / "g.html").read_text(encoding="utf-8")
    assert page.count("plotly.js v") == 1 and "minh hoạ" in page
