"""One family of errors: every error the package defines derives from KhanalyticsError, said in both languages."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import khanalytics
from khanalytics.errors import KhanalyticsError, ParameterError

ROOT = Path(khanalytics.__file__).parent


def _modules():
    for info in pkgutil.walk_packages([str(ROOT)], prefix="khanalytics."):
        if info.name in ("khanalytics.__main__",):
            continue
        yield importlib.import_module(info.name)


def test_every_exception_class_of_the_package_is_in_the_family():
    found = {}
    for module in _modules():
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    assert len(found) >= 10
    outside = sorted(name for name, cls in found.items() if not issubclass(cls, KhanalyticsError))
    assert outside == []


def test_no_builtin_exception_is_raised_directly():
    """A bare ValueError has one message in one language and no rule: raise the family instead."""
    builtin = {"ValueError", "TypeError", "KeyError", "RuntimeError", "Exception", "LookupError", "OSError"}
    offenders = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.exc if isinstance(node, ast.Raise) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in builtin:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_message_in_each_language_with_where():
    err = ParameterError("Kỳ không hợp lệ.", "Invalid period.", file="a.xlsx", sheet="Số liệu", row=7, column="C",
                         value="2019-H3")
    assert err.message("vi") == "tệp a.xlsx, trang 'Số liệu', hàng 7, cột C: Kỳ không hợp lệ."
    assert err.message("en") == "file a.xlsx, sheet 'Số liệu', row 7, column C: Invalid period."
    assert str(err) == "Kỳ không hợp lệ. / Invalid period."
    assert isinstance(err, ValueError) and err.rule == "bad_parameter"
    d = err.as_dict()
    assert d["rule"] == "bad_parameter" and d["context"]["row"] == "7" and d["message_en"] == "Invalid period."


def test_one_language_only_when_both_are_the_same():
    err = KhanalyticsError("x")
    assert str(err) == "x" and err.message("en") == "x" and err.where() == ""
    with pytest.raises(KhanalyticsError):
        raise err
