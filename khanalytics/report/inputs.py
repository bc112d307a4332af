"""What a report reads from the store: observations, flags, imports and the content hash.

Reports of one period run one after another on a warm kernel; the store is
read once per kernel while its file is unchanged (same path, size and
modification time), and each report gets its own copies of the frames.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from khanalytics import analysis
from khanalytics.report.params import resolve_store


class StoreData(NamedTuple):
    """The frames a report needs from a store, and the store's content hash."""

    obs: pd.DataFrame
    flags: pd.DataFrame
    imports: pd.DataFrame
    digest: str


def file_signature(path: Path) -> tuple[str, int, int]:
    """What tells one version of a store file from another: its path, modification time and size."""
    stat = path.stat()
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4)
def _load(signature: tuple[str, int, int]) -> StoreData:
    from khanalytics.store import Store

    with Store(signature[0], read_only=True) as s:
        imports = s.imports()
        digest = s.content_hash()
    obs = analysis.load_observations(signature[0])
    flags = analysis.load_flags(signature[0])
    return StoreData(obs, flags, imports, digest)


def load_store(path: str | Path) -> StoreData:
    """Observations, flags, imports and content hash of a store (copies: editing them changes nothing here)."""
    data = _load(file_signature(resolve_store(path)))
    return StoreData(data.obs.copy(), data.flags.copy(), data.imports.copy(), data.digest)
