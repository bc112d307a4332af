"""HTML pages and fragments, only ever from jinja2 templates with autoescape.

No markup is built by joining strings with data: every text from data,
users or the store goes through a template in ``report/templates/`` and is
escaped there. What is already safe HTML is a ``markupsafe.Markup`` (plotly's
own output, pandas' escaped tables, a fragment rendered here) and is inserted
as is. Files are written atomically, so a reader never sees half a page.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import plotly.graph_objects as go
from markupsafe import Markup

from khanalytics import templating
from khanalytics.errors import KhanalyticsError, ParameterError
from khanalytics.formatting import check_lang
from khanalytics.report.assets import figure_div, head_scripts


class PageBlockError(KhanalyticsError, TypeError):
    """Something handed to a page that is neither a figure, safe HTML nor text."""

    rule = "bad_page_block"


@cache
def environment() -> jinja2.Environment:
    """The report templates' environment (autoescape on, undefined names are errors), with the page font."""
    from khanalytics.figures.theme import FONT_FAMILY

    env = templating.environment("khanalytics.report").overlay()
    env.globals["font_family"] = Markup(FONT_FAMILY)  # our own constant, quotes and all
    return env


def render(template: str, **context: Any) -> str:
    """A whole template rendered with autoescape."""
    return environment().get_template(template).render(**context)


def fragment(name: str, *args: Any, **kwargs: Any) -> Markup:
    """One macro of ``fragments.html.j2`` (heading, paragraph, table, notice…) as safe HTML."""
    macro = getattr(environment().get_template("fragments.html.j2").module, name)
    return Markup(str(macro(*args, **kwargs)).strip())


def heading(text: str, level: int = 2) -> Markup:
    """An escaped heading block (``<h2>`` by default)."""
    if level not in range(1, 7):
        raise ParameterError(f"Cấp tiêu đề phải từ 1 đến 6, không phải {level!r}.",
                             f"level must be 1..6, not {level!r}.", parameter="level")
    return fragment("heading", text, level)


def paragraph(text: str, css_class: str | None = None) -> Markup:
    """An escaped paragraph block."""
    return fragment("paragraph", text, css_class)


def page_css() -> Markup:
    """The stylesheet every page shares (screen, phone and A4 print)."""
    return Markup(render("page.css"))


def _block(block: object) -> Markup:
    if isinstance(block, go.Figure):
        return figure_div(block)
    if isinstance(block, Markup):
        return block
    if isinstance(block, str):
        return paragraph(block)
    raise PageBlockError(
        f"Một khối của trang phải là plotly Figure, markupsafe.Markup hoặc str; nhận {type(block).__name__}.",
        f"a page block is a plotly Figure, a markupsafe.Markup or a plain str; got {type(block).__name__}",
    )


def render_page(
    title: str,
    blocks: Iterable[go.Figure | Markup | str],
    lang: str = "vi",
    *,
    subtitle: str | None = None,
    notice: str | None = None,
    footer: str | None = None,
    extra_css: str = "",
) -> str:
    """The HTML text of a page: :func:`write_page` without the writing."""
    return render("page.html.j2", lang=check_lang(lang), title=str(title), scripts=head_scripts(),
                  blocks=[_block(b) for b in blocks], subtitle=subtitle, notice=notice, footer=footer,
                  extra_css=Markup(extra_css))


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``: a reader
    (or a run killed half-way) never sees a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_page(
    path: str | os.PathLike[str],
    title: str,
    blocks: Iterable[go.Figure | Markup | str],
    lang: str = "vi",
    **options: str | None,
) -> Path:
    """Write one self-contained HTML page and return its path.

    ``blocks``, in order: a plotly ``Figure`` (drawn), ``markupsafe.Markup`` (trusted HTML such as
    :func:`khanalytics.figures.kpi_cards` or :func:`heading`, inserted as is) or a plain ``str`` (escaped,
    as a paragraph). ``options`` are those of :func:`render_page`: ``subtitle``, ``notice`` (e.g. "Số liệu
    minh hoạ") and ``footer`` are escaped, ``extra_css`` is the caller's own CSS. plotly.js is inlined once;
    nothing is loaded from the network.
    """
    return atomic_write_text(path, render_page(title, blocks, lang, **options))  # type: ignore[arg-type]
