"""Files in and out: the reports provinces send, and the workbook they fill in.

- ``numbers``: a cell as a number, the Vietnamese way ("2.265.712", "24,07");
- ``grids``: a file's sheets as rows of cells (xlsx, csv in any usual encoding, parquet);
- ``layout``: the header row and what each column holds;
- ``read``: ``read_file``, a file into tidy values and the issues met;
- ``template``: ``write_template`` and ``write_report_workbook``.
"""

from __future__ import annotations

from khanalytics.io.numbers import NotANumber, parse_number
from khanalytics.io.read import KINDS, MAX_BYTES, Reading, read_file
from khanalytics.io.template import write_report_workbook, write_template

__all__ = ["KINDS", "MAX_BYTES", "NotANumber", "Reading", "parse_number", "read_file", "write_report_workbook",
           "write_template"]
