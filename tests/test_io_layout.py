"""Finding the table in a grid: the header row and what each column holds."""

from khanalytics.catalogue import HeaderMatch
from khanalytics.io.grids import Grid
from khanalytics.io.layout import classify, find_layout


def test_classify_header_cells():
    assert classify("Tỉnh, thành phố") == ("province", None)
    assert classify("Mã tỉnh") == ("code", None)
    assert classify("Kỳ báo cáo") == ("period", None)
    assert classify("STT") == ("ignored", None) and classify("Ghi chú (nếu có)") == ("ignored", None)
    assert classify("Quỹ vận động (triệu đồng)") == ("element", HeaderMatch("fund_raised_vnd", 1_000_000))
    assert classify("Số con mèo") == ("unknown", None) and classify("  ") == ("empty", None)


def test_the_header_row_is_found_below_a_title_and_unknown_columns_kept():
    grid = Grid("s", [["BÁO CÁO 6 THÁNG ĐẦU NĂM 2019"], [], ["STT", "Tỉnh", "Số hội viên", "Số con mèo"],
                      [1, "Huế", 10, 2]])
    layout = find_layout(grid)
    assert layout is not None and layout.header_row == 2 and layout.province_col == 1
    assert layout.elements == {2: HeaderMatch("members")} and layout.unknown == {3: "Số con mèo"}


def test_long_form_and_no_table():
    layout = find_layout(Grid(None, [["Tỉnh", "Chỉ tiêu", "Giá trị"], ["Huế", "Hội viên", 3]]))
    assert layout is not None and (layout.element_col, layout.value_col) == (1, 2) and layout.elements == {}
    assert find_layout(Grid(None, [["Ghi chú"], ["không có số liệu"]])) is None
