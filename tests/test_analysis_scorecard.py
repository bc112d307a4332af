"""Scorecard: provinces × indicators against the country and the current target."""

import pandas as pd
import pytest

from khanalytics import analysis as an
from khanalytics import geography as geo
from khanalytics.periods import Period
from tests.analysis_frames import CUM_II, CUM_II_2025, complete_country, obs_frame


def test_scorecard_is_tidy_and_compares_with_the_country_and_the_targets():
    obs = complete_country()
    obs = pd.concat([obs, complete_country("2018-H1", seed=3)])
    fam = []
    for i, c in enumerate(geo.province_codes("2008")):
        fam += [(c, "2019-H1", "learning_families_recognised", 600 + i * 3), (c, "2019-H1", "households", 1000),
                (c, "2015-H1", "learning_families_recognised", 600), (c, "2015-H1", "households", 1000)]
    obs = pd.concat([obs, obs_frame(fam)])
    sc = an.scorecard(obs, "2019-H1", group="Cụm II", indicators=["membership_rate", "learning_families_rate"])
    assert list(sc.columns) == an.SCORECARD_COLUMNS and len(sc) == 16
    assert set(sc["code"]) == set(CUM_II)
    assert set(sc["status"].dropna()) <= {"above", "below", "equal"} and (sc["status"] == sc["vs_national"]).all()
    rates = sc[sc["indicator"] == "membership_rate"]
    assert rates["vs_target"].isna().all() and rates["change"].notna().all()
    fam_rows = sc[sc["indicator"] == "learning_families_rate"].set_index("code")
    assert set(fam_rows["vs_target"]) <= {"met", "on track", "behind"} and fam_rows["target"].eq(70).all()
    i = geo.province_codes("2008").index("06")
    assert fam_rows.loc["06", "value"] == pytest.approx(60 + i * 0.3)
    assert fam_rows.loc["06", "vs_target"] == "behind"  # 60 % in 2015, the line to 70 % in 2020 is above 61 % by 2019
    nat = fam_rows["national"].iloc[0]
    for code, row in fam_rows.iterrows():
        want = "equal" if round(row["value"], 2) == round(nat, 2) else ("above" if row["value"] > nat else "below")
        assert row["vs_national"] == want, code


def test_a_scorecard_carries_its_map_and_refuses_the_other():
    obs = pd.concat([complete_country(), complete_country("2018-H1", seed=3)])
    sc = an.scorecard(obs, Period(2019, 1), group="Cụm II", indicators=["membership_rate"])
    assert sc.attrs["edition"] == "2008" and len(sc) == 8
    on_2025 = an.scorecard(obs, "2019-H1", group="Cụm II", indicators=["membership_rate"], edition="2025")
    assert on_2025.attrs["edition"] == "2025" and set(on_2025["code"]) == set(CUM_II_2025)
    with pytest.raises(geo.EditionMismatchError):
        an.scorecard(geo.with_edition(obs, "2008"), "2019-H1", indicators=["membership_rate"], edition="2025")
