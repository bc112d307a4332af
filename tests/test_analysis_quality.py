"""Quality flags that concern a group, on either map."""

import pandas as pd

from khanalytics import analysis as an


def test_quality_flags_for_a_group():
    flags = pd.DataFrame({"edition": ["2008", "2008", "2008"], "code": ["22", "01", "27"],
                          "period": ["2019-H1"] * 3, "message_vi": ["a", "b", "c"], "message_en": ["a", "b", "c"]})
    assert list(an.quality_flags(flags, "Cụm II", "2019-H1")["code"]) == ["22"]
    assert list(an.quality_flags(flags, "Cụm II", "2019-H1", edition="2025")["code"]) == ["22", "27"]
