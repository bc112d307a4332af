"""The charts of the reports: maps, trends, rankings, scorecards and KPI cards, in one plotly look.

Each figure turns a plain pandas table (the shapes :mod:`khanalytics.analysis` produces, documented per
function) into a plotly figure in the house theme, with numbers written the Vietnamese way (``lang="en"``
for English). Figures compute no aggregates and read no data: a figure draws what it is given. The one
thing they may read is the map's reference layer: the map functions take ``boundaries=`` (a GeoDataFrame
or DataFrame with ``code`` and ``geometry``), ``archipelagos=`` and ``grid=`` frames, and only when one
is not given fetch it through :mod:`khanalytics.boundaries` (the geoBoundaries polygons cached by
``khanalytics boundaries fetch`` if present, else the packaged ones). Every figure can carry a
provenance note ("Nguồn: …", "Số liệu minh hoạ"), and every string that comes from data is escaped
before plotly (or the HTML of the cards) renders it.

The edition travels with the data like a CRS: a frame of province values marked for one map
(:func:`khanalytics.geography.with_edition`) is refused by a map drawn on the other
(``EditionMismatchError``). Bad inputs raise :class:`FigureError`, a ``ValueError`` of the package's
bilingual error family.

Rooms:

=========================  ==========================================================================
``figures.maps``           :func:`choropleth`, :func:`tile_map` (and the archipelagos on the map)
``figures.trends``         :func:`trend`, :func:`small_multiples`
``figures.titles``         :func:`title_dashboard`: one panel per learning title, with the targets
``figures.comparisons``    :func:`ranked_bar`, :func:`scorecard_heatmap`
``figures.cards``          :func:`kpi_cards`, :data:`KPI_CSS` (Jinja2 template in ``templates/``)
``figures.classes``        :class:`LegendClasses`, :func:`legend_classes`, :func:`quantile_bins`
``figures.geometry``       GeoJSON for plotly, outlines, the Mercator view, where labels fit
``figures.layout``         title block, provenance note, phone layout (:data:`NARROW_PX`)
``figures.theme``          colours, fonts, the plotly template ``"khanalytics"``
``figures.offline``        :class:`Figure`: every figure made here, drawn offline in JupyterLab and nbconvert
``figures.export``         :func:`save_figure`: PNG, SVG or PDF for slides (kaleido and Chromium, no network)
``figures._common``        what the rooms share: words, escaping, input checks, province codes
=========================  ==========================================================================
"""

from __future__ import annotations

from khanalytics.figures import theme
from khanalytics.figures._common import ROLES, STATUSES, FigureError, FigureTypeError, is_missing_text
from khanalytics.figures.cards import KPI_CSS, kpi_cards
from khanalytics.figures.classes import LegendClasses, legend_classes, quantile_bins
from khanalytics.figures.comparisons import ranked_bar, scorecard_heatmap
from khanalytics.figures.export import save_figure
from khanalytics.figures.layout import NARROW_PX
from khanalytics.figures.maps import choropleth, tile_map
from khanalytics.figures.titles import title_dashboard
from khanalytics.figures.trends import small_multiples, trend

__all__ = [
    "save_figure",
    "KPI_CSS",
    "NARROW_PX",
    "ROLES",
    "STATUSES",
    "FigureError",
    "FigureTypeError",
    "LegendClasses",
    "choropleth",
    "is_missing_text",
    "kpi_cards",
    "legend_classes",
    "quantile_bins",
    "ranked_bar",
    "scorecard_heatmap",
    "small_multiples",
    "title_dashboard",
    "theme",
    "tile_map",
    "trend",
]
