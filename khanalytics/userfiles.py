"""Reading the YAML files users may put in place of the packaged reference files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: str | Path, error: type[Exception]) -> Any:
    """The parsed file; ``error`` (naming the file, in Vietnamese and English) when it cannot be read or parsed."""
    p = Path(path)
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as err:
        raise error(f"Không đọc được {p}: {err} / cannot read {p}") from err
    except yaml.YAMLError as err:
        raise error(f"{p}: YAML không hợp lệ / invalid YAML: {err}") from err
