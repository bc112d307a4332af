"""Issues and rejected files, said in Vietnamese and English with the place they are at."""

import pickle

from khanalytics.diagnostics import RULES, InputError, Issue
from khanalytics.errors import KhanalyticsError

ERROR = Issue("error", "not_a_number", "t.csv", "một số", "a number", sheet="Số liệu", row=3, column="D",
              value="khoảng 19 vạn")
FLAG = Issue("flag", "totals_mismatch", "t.csv", "bằng tổng", "equal to the sum", row=9)


def test_issue_messages_name_the_place_value_and_expectation():
    vi, en = ERROR.message("vi"), ERROR.message("en")
    assert vi.startswith("LỖI [not_a_number] t.csv, trang 'Số liệu', hàng 3, cột D:")
    assert "'khoảng 19 vạn'" in vi and "cần: một số" in vi and RULES["not_a_number"][0] in vi
    assert en.startswith("ERROR [not_a_number] t.csv, sheet 'Số liệu', row 3, column D:") and "expected: a number" in en
    assert FLAG.message("vi").startswith("CẢNH BÁO") and FLAG.message("en").startswith("FLAG")
    assert str(ERROR) == f"{vi}\n    {en}"
    d = ERROR.as_dict()
    assert d["value"] == "khoảng 19 vạn" and d["message_en"] == en


def test_input_error_is_a_family_error_listing_the_errors_in_each_language():
    err = InputError("t.csv", [ERROR, FLAG])
    assert isinstance(err, KhanalyticsError) and isinstance(err, ValueError)
    assert err.rule == "file_rejected" and err.file == "t.csv" and err.issues == [ERROR, FLAG]
    assert err.context == {"file": "t.csv"}
    assert err.vi.startswith("t.csv: 1 lỗi, tệp bị từ chối, không lưu gì") and ERROR.message("vi") in err.vi
    assert err.en.startswith("t.csv: 1 error(s), file rejected, nothing stored") and ERROR.message("en") in err.en
    assert FLAG.message("vi") not in err.vi  # flags do not reject
    assert err.message("en").startswith("file t.csv: ")
    assert str(err) == f"{err.vi}\n{err.en}"


def test_input_error_shows_twenty_errors_and_counts_the_rest():
    err = InputError("big.csv", [ERROR] * 23)
    assert err.vi.count("LỖI") == 20 and "… (+3)" in err.vi and "… (+3)" in err.en
    again = pickle.loads(pickle.dumps(err))
    assert again.file == "big.csv" and len(again.issues) == 23
