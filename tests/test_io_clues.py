"""Period clues: what a line reports on, the date of a date line, which clues disagree."""

import datetime as dt

from khanalytics.io.clues import Clue, date_from_text, disagreements, period_mentions, reported_period
from khanalytics.periods import Period


def test_the_half_year_reported_beats_the_year_just_ended():
    text = "BÁO CÁO KẾT QUẢ NĂM 2023 VÀ SƠ KẾT 6 THÁNG ĐẦU NĂM 2024"
    assert period_mentions(text) == [Period(2023), Period(2024, 1)] and reported_period(text) == Period(2024, 1)


def test_sheet_names_titles_and_what_is_not_the_period():
    assert reported_period("BC 6T-2023") == Period(2023, 1) and reported_period("Năm 2023") == Period(2023)
    assert reported_period("…6 THÁNG CUỐI NĂM 2024") == Period(2024, 2)
    assert reported_period("Tổng kết năm 2023, phương hướng nhiệm vụ năm 2024") == Period(2023)  # a plan is not reported
    assert reported_period("Báo cáo 6 tháng đầu năm 2024 (so với cùng kỳ năm 2023)") == Period(2024, 1)
    assert reported_period("Kỳ báo cáo: 2019-H1 — bản đồ 63 tỉnh, thành phố (2008–6/2025)") == Period(2019, 1)
    assert reported_period("Quảng Ninh, ngày 10 tháng 7 năm 2024") is None and reported_period("Biểu 1") is None


def test_dates_and_disagreements():
    assert date_from_text("Quảng Ninh, ngày 10 tháng 7 năm 2024") == dt.date(2024, 7, 10)
    assert date_from_text("Thái Bình, ngày 31/12/2023") == dt.date(2023, 12, 31) and date_from_text("Biểu 1") is None
    sheet, late = Clue("sheet", "BC 6T-2023", Period(2023, 1)), Clue("date", "ngày 1/1/2026", date=dt.date(2026, 1, 1))
    ok = Clue("date", "ngày 10/7/2024", date=dt.date(2024, 7, 10))
    assert disagreements([sheet, late, ok], Period(2024, 1)) == [sheet, late]
    assert sheet.describe("vi") == "tên trang 'BC 6T-2023' → 2023-H1"
