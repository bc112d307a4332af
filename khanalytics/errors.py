"""One family of errors for the whole package, said in Vietnamese and in English.

Every error khanalytics raises derives from ``KhanalyticsError``: a rule (a
short stable code that tests and scripts can rely on), the Vietnamese text, the
English text, and the context that locates the problem (file, sheet, row,
column, cell, value, province, period…). The command line prints it in the
user's language without a traceback; ``str()`` gives both languages, for logs.

The subclasses also derive from the built-in exception a caller would expect
(``ValueError`` for a bad value, ``KeyError`` for an unknown name…), so
``except ValueError`` keeps working.
"""

from __future__ import annotations

from typing import Any

# context key -> (Vietnamese word, English word), in the order a place is said
_CONTEXT_WORDS: dict[str, tuple[str, str]] = {
    "file": ("tệp", "file"),
    "sheet": ("trang", "sheet"),
    "row": ("hàng", "row"),
    "column": ("cột", "column"),
    "cell": ("ô", "cell"),
    "entry": ("mục", "entry"),
    "field": ("trường", "field"),
    "parameter": ("tham số", "parameter"),
    "value": ("giá trị", "value"),
}


class KhanalyticsError(Exception):
    """Base of every error the package raises: rule, Vietnamese, English, context."""

    rule: str = "error"

    def __init__(self, vi: str, en: str | None = None, *, rule: str | None = None, **context: Any) -> None:
        self.vi = vi
        self.en = en if en is not None else vi
        if rule is not None:
            self.rule = rule
        self.context: dict[str, Any] = {k: v for k, v in context.items() if v is not None}
        super().__init__(self._joined())

    def _joined(self) -> str:
        return self.vi if self.en == self.vi else f"{self.vi} / {self.en}"

    def message(self, lang: str = "vi") -> str:
        """The text in one language, with where it happened when the context says."""
        text = self.en if lang == "en" else self.vi
        where = self.where(lang)
        return f"{where}: {text}" if where else text

    def where(self, lang: str = "vi") -> str:
        """"tệp a.xlsx, trang 'Số liệu', hàng 7, cột C" from the context; empty when there is none."""
        parts = []
        for key, (vi, en) in _CONTEXT_WORDS.items():
            if key in self.context and key != "value":
                value = self.context[key]
                value = f"'{value}'" if key == "sheet" else value
                parts.append(f"{vi if lang != 'en' else en} {value}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """Rule, both texts and the context, for manifests and JSON logs."""
        return {"error": type(self).__name__, "rule": self.rule, "message_vi": self.vi, "message_en": self.en,
                "context": {k: str(v) for k, v in self.context.items()}}

    def __str__(self) -> str:
        return self._joined()


class ParameterError(KhanalyticsError, ValueError):
    """A parameter (of a function, a command or a notebook) that is unknown or has an invalid value."""

    rule = "bad_parameter"


class ReferenceFileError(KhanalyticsError, ValueError):
    """A reference file (packaged or the user's own) that cannot be read or breaks its schema."""

    rule = "bad_reference_file"
