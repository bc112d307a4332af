"""The workbook sent back to a province: every issue of its file, and its file with the cells marked.

A province fixes its report from a list it can sort and filter in Excel, in
Vietnamese (sheet, cell, value, rule, what was expected), not from a console.
When the province sent an .xlsx, a copy of it comes back too, with every
offending cell filled red (errors) or yellow (flags) and the message as a
comment on the cell.
"""

from __future__ import annotations

from pathlib import Path

from khanalytics.diagnostics import RULES, Issue, shown_value

__all__ = ["ISSUE_COLUMNS", "write_feedback"]

ISSUE_COLUMNS = ["Mức độ", "Tệp", "Trang", "Ô", "Hàng", "Cột", "Giá trị", "Quy tắc", "Mô tả", "Cần", "Chi tiết",
                 "Tỉnh", "Kỳ", "Chỉ tiêu", "Message (English)"]
_FILLS = {"error": "FFC7CE", "flag": "FFEB9C"}


def _row(issue: Issue) -> list[object]:
    cell = f"{issue.column}{issue.row}" if issue.column and issue.row is not None else None
    return ["Lỗi" if issue.severity == "error" else "Cảnh báo", issue.file, issue.sheet, cell, issue.row, issue.column,
            None if issue.value is None else shown_value(issue.value).strip("'"), issue.rule,
            RULES.get(issue.rule, (issue.rule, issue.rule))[0], issue.expected_vi, issue.detail_vi, issue.province,
            issue.period, issue.element, issue.message("en")]


def write_feedback(issues: list[Issue], output: str | Path, *, original: str | Path | None = None) -> list[Path]:
    """Write the issue list to ``output`` (.xlsx) and, for an .xlsx original, a marked copy beside it.

    Returns the paths written: the list, then the marked copy if any.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    output = Path(output)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Lỗi"
    ws.append(ISSUE_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for issue in issues:
        ws.append(_row(issue))
    ws.auto_filter.ref = ws.dimensions
    ws.freeze_panes = "A2"
    book.save(output)
    written = [output]
    if original is None or Path(original).suffix.lower() not in (".xlsx", ".xlsm"):
        return written
    marked_path = output.with_name(f"{output.stem}_{Path(original).stem}_danh_dau.xlsx")
    marked = openpyxl.load_workbook(original)
    for issue in issues:
        if issue.sheet not in marked.sheetnames or issue.row is None or not issue.column:
            continue
        cell = marked[issue.sheet][f"{issue.column}{issue.row}"]
        if getattr(cell, "coordinate", None) is None:
            continue  # inside a merged range
        colour = _FILLS["error" if issue.severity == "error" or cell.fill.fgColor.rgb == "00" + _FILLS["error"]
                        else "flag"]
        cell.fill = PatternFill("solid", fgColor=colour)
        text = issue.message("vi")
        cell.comment = Comment(text if cell.comment is None else f"{cell.comment.text}\n{text}", "khanalytics")
    marked.save(marked_path)
    return [*written, marked_path]
