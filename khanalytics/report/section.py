"""One section of a report: what a notebook shows, in order, and the tables behind it.

Kept apart from the report itself so that every module that makes sections
(``sections``, ``published``) depends on this small class, not on each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from khanalytics.figures.offline import show as show_figure

TRUSTED = {"khanalytics": {"escaped": True}}
"""Output metadata of HTML built by the library (every data string escaped); the export inserts only such HTML as is."""


@dataclass
class Section:
    """One section of a report: safe HTML and figures in the order shown, and the tables behind them."""

    name: str
    parts: list[Markup | go.Figure] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def html(self) -> Markup:
        """The section's HTML parts joined (figures left out)."""
        return Markup("").join(p for p in self.parts if isinstance(p, Markup))

    @property
    def figures(self) -> list[go.Figure]:
        """The section's plotly figures."""
        return [p for p in self.parts if isinstance(p, go.Figure)]

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        for part in self.parts:
            if isinstance(part, Markup):  # marked, so that the export inserts it as HTML
                display(HTML(str(part)), metadata=TRUSTED)
            else:  # plotly JSON with the offline base map, and HTML that nbconvert keeps
                show_figure(part)
