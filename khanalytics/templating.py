"""The package's one way to make HTML: jinja2 templates with autoescape on.

Figures (KPI cards) and reports (pages, fragments) keep their templates in
their own ``templates/`` folder and get their environment here, so that both
escape every value the same way and an undefined name is an error, never an
empty string in a leader's report.
"""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def environment(package: str) -> jinja2.Environment:
    """The autoescaping environment of the templates in ``package``'s ``templates/`` folder."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
