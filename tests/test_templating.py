"""One way to make HTML: autoescaping jinja2 environments, undefined names refused."""

import jinja2
import pytest

from khanalytics.templating import environment


def test_every_value_is_escaped():
    env = environment("khanalytics.report")
    assert env.from_string("<p>{{ x }}</p>").render(x="<script>") == "<p>&lt;script&gt;</p>"


def test_an_undefined_name_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        environment("khanalytics.report").from_string("{{ missing }}").render()


def test_one_environment_per_package_and_their_templates():
    assert environment("khanalytics.figures") is environment("khanalytics.figures")
    assert "kpi_cards.html.j2" in environment("khanalytics.figures").list_templates()
    assert "fragments.html.j2" in environment("khanalytics.report").list_templates()
