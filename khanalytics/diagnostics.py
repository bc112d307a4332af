"""Problems found in users' files, said in Vietnamese and English.

Reading and validation both report through ``Issue`` so that every message
names the file, sheet, row, column, the value, the rule and what was expected.
Errors reject the whole file; flags keep the value and mark it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from khanalytics.errors import KhanalyticsError

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
        value = "" if self.value is None else (f" giá trị {self.value!r}" if vi else f" value {self.value!r}")
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
