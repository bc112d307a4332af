"""Problems found in users' files, said in Vietnamese and English.

Reading and validation both report through ``Issue`` so that every message
names the file, sheet, row, column, the value, the rule and what was expected.
Errors reject the whole file; flags keep the value and mark it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from khanalytics.errors import KhanalyticsError
from khanalytics.formatting import fmt_number

MAX_VALUE_CHARS = 80  # a value longer than this is cut in messages, its length said (a 1 MB name was printed whole)

Severity = Literal["error", "flag"]


@dataclass(frozen=True)
class Issue:
    """One problem in one place of a user's file: an error rejects the file, a flag marks the value."""

    severity: Severity
    rule: str
    file: str
    expected_vi: str
    expected_en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    province: str | None = None
    period: str | None = None
    element: str | None = None
    detail_vi: str = ""
    detail_en: str = ""

    def where(self, lang: str = "vi") -> str:
        """"a.xlsx, trang 'Số liệu', hàng 7, cột C": the place, in one language."""
        vi = lang != "en"
        parts = [self.file]
        if self.sheet:
            parts.append(f"trang '{self.sheet}'" if vi else f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"hàng {self.row}" if vi else f"row {self.row}")
        if self.column:
            parts.append(f"cột {self.column}" if vi else f"column {self.column}")
        return ", ".join(parts)

    def message(self, lang: str = "vi") -> str:
        """The whole sentence in one language: severity, rule, place, value, what was expected."""
        vi = lang != "en"
        label = RULES.get(self.rule, (self.rule, self.rule))[0 if vi else 1]
        value = "" if self.value is None else (f" giá trị {shown_value(self.value, lang)}" if vi
                                               else f" value {shown_value(self.value, lang)}")
        expected = self.expected_vi if vi else self.expected_en
        detail = self.detail_vi if vi else self.detail_en
        kind = ("LỖI" if self.severity == "error" else "CẢNH BÁO") if vi else self.severity.upper()
        text = f"{kind} [{self.rule}] {self.where(lang)}:{value} — {label}"
        if expected:
            text += f"; {'cần' if vi else 'expected'}: {expected}"
        if detail:
            text += f" ({detail})"
        return text

    def __str__(self) -> str:
        return f"{self.message('vi')}\n    {self.message('en')}"

    def as_dict(self) -> dict:
        """The fields and both messages, for JSON reports and the store's flags table."""
        out = asdict(self)
        out["value"] = None if self.value is None else str(self.value)
        out["message_vi"] = self.message("vi")
        out["message_en"] = self.message("en")
        return out


def shown_value(value: object, lang: str = "vi") -> str:
    """A value as a message shows it: numbers the Vietnamese way (1.353.723, not 1.35372e+06), long text cut."""
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e18:
            return repr(value)
        decimals = 0 if float(value).is_integer() else min(6, len(repr(float(value)).split(".")[-1]))
        return fmt_number(value, decimals, lang)
    text = repr(str(value))
    if len(text) > MAX_VALUE_CHARS:
        n = fmt_number(len(str(value)), 0, lang)
        return text[: MAX_VALUE_CHARS - 10] + ("…' (" + n + (" ký tự)" if lang != "en" else " characters)"))
    return text


# rule code -> (Vietnamese label, English label)
RULES: dict[str, tuple[str, str]] = {
    "unreadable_file": ("không đọc được tệp", "the file cannot be read"),
    "empty_file": ("tệp không có số liệu", "the file holds no data"),
    "file_too_large": ("tệp quá lớn", "the file is too large"),
    "no_header": ("không tìm thấy hàng tiêu đề", "no header row found"),
    "unknown_province": ("tỉnh/thành không xác định", "unknown province"),
    "unknown_element": ("chỉ tiêu không có trong danh mục", "element not in the catalogue"),
    "not_a_number": ("giá trị không phải là số", "the value is not a number"),
    "not_whole_number": ("giá trị phải là số nguyên", "the value must be a whole number"),
    "negative_count": ("số đếm âm", "negative count"),
    "conflicting_duplicate": ("trùng tỉnh, kỳ, chỉ tiêu với giá trị khác nhau", "same province, period and element twice with different values"),
    "period_outside_edition": ("kỳ báo cáo không thuộc bản đồ của tệp", "period outside the file's edition"),
    "missing_period": ("không xác định được kỳ báo cáo", "no reporting period"),
    "bad_period": ("kỳ báo cáo không hợp lệ", "invalid period"),
    "code_name_mismatch": ("mã tỉnh và tên tỉnh không khớp", "province code and name disagree"),
    "recognised_above_registered": ("số đạt lớn hơn số đăng ký", "recognised exceeds registered"),
    "registered_above_total": ("số đăng ký lớn hơn tổng số", "registered exceeds the total"),
    "members_above_population": ("số hội viên lớn hơn dân số", "members exceed population"),
    "population_far_from_official": ("dân số báo cáo lệch quá 10 % so với số chính thức", "reported population more than 10 % from the official figure"),
    "large_change_on_last_year": ("thay đổi quá ±30 % so với cùng kỳ", "change beyond ±30 % on the same period last year"),
    "totals_mismatch": ("hàng tổng không bằng tổng các hàng", "totals row differs from the sum of the rows"),
    "too_many_cells": ("tệp có quá nhiều ô", "the file holds too many cells"),
    "conflicting_period": ("các dấu hiệu về kỳ báo cáo không khớp nhau", "the clues to the period disagree"),
    "period_overridden": ("kỳ báo cáo theo --period, khác với tệp", "period set by --period, unlike the file's"),
    "formula_without_value": ("công thức không có giá trị", "formula without a value"),
    "implausible_value": ("giá trị không thể có", "impossible value"),
    "plus_sign": ("số có dấu '+' đứng trước", "number with a leading '+'"),
    "hidden_value": ("số liệu trong hàng hoặc cột bị ẩn", "value in a hidden row or column"),
    "external_links": ("tệp liên kết tới tệp khác", "the workbook links to other workbooks"),
    "district_table": ("bảng theo huyện của một tỉnh", "a table of one province's districts"),
    "incomplete_district_table": ("bảng huyện chưa đủ số liệu", "district table incomplete"),
    "district_sum_mismatch": ("hàng toàn tỉnh không bằng tổng các huyện", "province row differs from the districts' sum"),
    "rate_mismatch": ("tỷ lệ ghi trong tệp khác tỷ lệ tính từ số liệu", "stated rate differs from the one computed"),
}


class InputError(KhanalyticsError, ValueError):
    """A file was rejected; nothing of it was stored. ``issues`` holds every issue met, errors and flags."""

    rule = "file_rejected"
    shown = 20

    def __init__(self, file: str, issues: list[Issue] | None = None) -> None:
        self.file = file
        self.issues = list(issues or [])
        errors = [i for i in self.issues if i.severity == "error"]
        super().__init__(self._text(errors, "vi"), self._text(errors, "en"), file=file)

    def _text(self, errors: list[Issue], lang: str) -> str:
        n = len(errors)
        head = (f"{self.file}: {n} lỗi, tệp bị từ chối, không lưu gì" if lang != "en"
                else f"{self.file}: {n} error(s), file rejected, nothing stored")
        lines = [i.message(lang) for i in errors[: self.shown]]
        if n > self.shown:
            lines.append(f"… (+{n - self.shown})")
        return "\n".join([head, *lines])

    def __str__(self) -> str:
        return f"{self.vi}\n{self.en}"

    def __reduce__(self) -> tuple[type[InputError], tuple[str, list[Issue]]]:
        return (type(self), (self.file, self.issues))
