"""Reading and checking the YAML reference files users may put in place of the packaged ones.

The catalogue, the clusters and the targets are each described by pydantic
models. What breaks them is said here, the same way for all three: the file,
the entry ("elements.members", "clusters.dong-bac.memberships[2]"), the field,
and what the field must be, in Vietnamese and English, so that a person who
edited the file by hand can find the line to fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from khanalytics.errors import KhanalyticsError

M = TypeVar("M", bound=BaseModel)

# keys that name an entry of a list better than its position does
_IDENTITY_KEYS = ("code", "slug", "id")
_SHOWN = 25


def read_yaml(path: str | Path, error: type[KhanalyticsError]) -> Any:
    """The parsed file; ``error`` naming the file, in Vietnamese and English, when it cannot be read or parsed."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise error(f"Không đọc được tệp {p}: {err}", f"cannot read {p}: {err}", file=str(p)) from err
    return parse_yaml(text, str(p), error)


def parse_yaml(text: str, file: str, error: type[KhanalyticsError]) -> Any:
    """YAML text as Python objects; ``error`` naming ``file`` when the text is not YAML."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        raise error(f"{file}: YAML không hợp lệ: {err}", f"{file}: invalid YAML: {err}", file=file) from err


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a reference file: the entry and field it is in, and what is wrong, in both languages."""

    entry: str
    field: str | None
    vi: str
    en: str

    def line(self, lang: str = "vi") -> str:
        """"mục elements.members, trường decimals: …" in one language."""
        vi = lang != "en"
        place = [f"{'mục' if vi else 'entry'} {self.entry}"] if self.entry else []
        if self.field:
            place.append(f"{'trường' if vi else 'field'} {self.field}")
        text = self.vi if vi else self.en
        return f"{', '.join(place)}: {text}" if place else text


# what a field must be, for fields whose pydantic message would not help a person: field -> (vi, en)
Musts = Mapping[str, tuple[str, str]]


def schema_problems(err: ValidationError, data: object, musts: Musts) -> list[Problem]:
    """pydantic's errors as Problems: entries named by code/slug/id (or position), unknown keys grouped per entry."""
    problems: list[Problem] = []
    extra: dict[str, list[str]] = {}
    for e in err.errors():
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden":  # said once per mapping, all its unknown keys together
            holder = ".".join(filter(None, _place(loc[:-1], data)))
            extra.setdefault(holder, []).append(str(loc[-1]))
            continue
        problems.append(_problem(e, *_place(loc, data), musts))
    for entry, keys in extra.items():
        problems.append(Problem(entry, None, f"khoá không biết {sorted(keys)}", f"unknown keys {sorted(keys)}"))
    return problems


def _problem(e: Mapping[str, Any], entry: str, field: str | None, musts: Musts) -> Problem:
    name = (field or "").rsplit(".", 1)[-1]  # "" for an item of a list ("elements[4]"): its entry is the problem
    cause = (e.get("ctx") or {}).get("error")
    if e["type"] == "missing":
        return Problem(entry, field, f"thiếu '{name}'", f"'{name}' is missing")
    shown = repr(e.get("input"))[:60]
    if name and name in musts:
        vi, en = musts[name]
        return Problem(entry, field, f"'{name}' phải là {vi}, không phải {shown}", f"'{name}' must be {en}, not {shown}")
    if isinstance(cause, KhanalyticsError):  # a check of ours (an unknown province, say) said it already
        return Problem(entry, field, cause.vi, cause.en)
    if e["type"] in ("model_type", "dict_type", "model_attributes_type"):
        return Problem(entry, field, "phải là một bảng khoá: giá trị", "must be a mapping")
    if e["type"] == "list_type":
        return Problem(entry, field, "phải là một danh sách", "must be a list")
    message = str(cause) if cause is not None else e["msg"]
    return Problem(entry, field, f"giá trị {shown} không hợp lệ ({message})", f"invalid value {shown} ({message})")


def _place(loc: tuple[Any, ...], data: object) -> tuple[str, str | None]:
    """(entry, field) of an error location: the entry ends at the last list item that is a mapping."""
    parts: list[str] = []
    cut, node = 0, data
    for i, part in enumerate(loc):
        node = _child(node, part)
        if isinstance(part, int):
            ident = next((node[k] for k in _IDENTITY_KEYS if isinstance(node, dict) and isinstance(node.get(k), str)),
                         None)
            parts.append(f".{ident}" if ident else f"[{part + 1}]")
            if isinstance(node, dict):
                cut = i + 1
        else:
            parts.append(f".{part}")
    if loc and isinstance(loc[-1], int):
        cut = len(loc)  # the item itself is wrong (not a mapping, say)
    entry = "".join(parts[:cut]).lstrip(".")
    field = "".join(parts[cut:]).lstrip(".")
    return entry, field or None


def _child(node: object, part: object) -> object:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def check_schema(
    model: type[M], data: object, file: str, error: type[KhanalyticsError], musts: Musts, what: tuple[str, str]
) -> M:
    """``data`` validated by ``model``; ``error`` naming the file and every entry and field that breaks it."""
    if not isinstance(data, dict):
        raise error(f"{file}: {what[0].lower()} phải là một bảng YAML (khoá: giá trị)",
                    f"{file}: the {what[1]} must be a YAML mapping", file=file)
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise_problems(error, file, schema_problems(err, data, musts), what)
        raise  # pragma: no cover - raise_problems has raised


def raise_problems(
    error: type[KhanalyticsError], file: str, problems: Sequence[Problem], what: tuple[str, str]
) -> None:
    """Raise ``error`` listing every problem (the first 25) in each language; nothing when there is none.

    ``what`` names the kind of file: ("Danh mục", "catalogue") gives
    "Danh mục không hợp lệ …" / "invalid catalogue …".
    """
    if not problems:
        return
    n = len(problems)

    def listing(lang: str) -> str:
        lines = "\n  - ".join(p.line(lang) for p in problems[:_SHOWN])
        more = f"\n  (+{n - _SHOWN} …)" if n > _SHOWN else ""
        return f"\n  - {lines}{more}"

    first = problems[0] if n == 1 else Problem("", None, "", "")
    raise error(
        f"{what[0]} không hợp lệ: {file} ({n} lỗi):{listing('vi')}",
        f"invalid {what[1]} {file} ({n} problem{'s' if n > 1 else ''}):{listing('en')}",
        file=file, entry=first.entry or None, field=first.field,
    )
