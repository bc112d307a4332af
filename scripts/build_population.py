"""Build khanalytics/reference/population.csv from the population facts in ../shared/reference (sources kept).

Run: python scripts/build_population.py  (set KHANALYTICS_SHARED_REFERENCE to the folder elsewhere).
"""
import csv
import os
from pathlib import Path

import pandas as pd

from khanalytics import geography as geo

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KHANALYTICS_SHARED_REFERENCE", ROOT.parent / "shared" / "reference"))
OUT = ROOT / "khanalytics" / "reference" / "population.csv"

census = pd.read_csv(SHARED / "population_2019_census.csv", dtype={"province_code": str})
annual = pd.read_csv(SHARED / "population_annual.csv", dtype={"province_code": str})
p34 = pd.read_csv(SHARED / "population_34_provinces.csv", dtype={"new_code": str})

old_codes = set(geo.province_codes("2008"))
assert set(census["province_code"]) == old_codes and set(annual["province_code"]) == old_codes
assert len(annual) == 63 * 15 and census["population_2019_census"].sum() == 96_208_984

rows = []
for r in census.itertuples():
    rows.append(("2008", r.province_code, 2019, int(r.population_2019_census), "census_2019", r.source_population))
for r in annual.itertuples():
    rows.append(("2008", r.province_code, int(r.year), int(r.average_population), "average", r.source))

cw = geo.crosswalk()
census_by = census.set_index("province_code")
annual_by = annual.set_index(["province_code", "year"])
p34 = p34.set_index("new_code")
assert set(p34.index) == set(geo.province_codes("2025"))
years = sorted(annual["year"].unique())
for code in geo.province_codes("2025"):
    parts = sorted(cw.loc[cw["code_2025"] == code, "code_2008"])
    listed = sorted(part.split()[0] for part in p34.loc[code, "old_provinces"].split(";"))
    assert parts == listed, (code, parts, listed)
    if parts == [code]:
        same = f"Same territory as province {code} of the 2008 map; "
        rows.append(("2025", code, 2019, int(census_by.loc[code, "population_2019_census"]), "census_2019",
                     same + census_by.loc[code, "source_population"]))
        for y in years:
            rows.append(("2025", code, int(y), int(annual_by.loc[(code, y), "average_population"]), "average",
                         same + annual_by.loc[(code, y), "source"]))
        continue
    names = " + ".join(f"{p} {geo.province_name(p, '2008')}" for p in parts)
    total = int(sum(census_by.loc[p, "population_2019_census"] for p in parts))
    assert total == int(p34.loc[code, "derived_sum_census2019_of_old_provinces"]), code
    rows.append(("2025", code, 2019, total, "derived_sum_census_2019",
                 f"derived (khanalytics): sum of the 2019 census population of the 2008-map provinces {names} "
                 "through khanalytics.geography.crosswalk(); census figures: GSO 'Kết quả toàn bộ Tổng điều tra dân số "
                 "và nhà ở năm 2019' Table 2 via github advaitsridhar/DemographicMap (commit 3e4b29b8)"))
    for y in years:
        total = int(sum(annual_by.loc[(p, y), "average_population"] for p in parts))
        if y == 2024:
            assert total == int(p34.loc[code, "derived_sum_avgpop2024_of_old_provinces"]), code
        src = ("GSO PX-Web 'Average population by province', pre-2019-census series, via github choisy/gso "
               "(commit 9c912029); NOTE: not comparable with 2011+" if y == 2010 else
               "NSO PX-Web table V02.01 (https://www.nso.gov.vn/px-web-2/?pxid=V0201) via github "
               "amezaikupan/VN_population_dashboard (commit a95e7b3c)")
        rows.append(("2025", code, int(y), total, "derived_sum_average",
                     f"derived (khanalytics): sum of the {y} average population of the 2008-map provinces {names} "
                     f"through khanalytics.geography.crosswalk(); averages: {src}"))
    rows.append(("2025", code, 2025, int(p34.loc[code, "population_nq202"]), "nq202",
                 "Nghị quyết 202/2025/QH15 (12/6/2025) Art.1 'quy mô dân số', " + p34.loc[code, "source_nq202"]
                 .split("figures ", 1)[1] + "; a different population base from GSO's (not comparable with the "
                 "'average' series)"))

out = pd.DataFrame(rows, columns=["edition", "code", "year", "population", "measure", "source"])
out = out.sort_values(["edition", "code", "measure", "year"]).reset_index(drop=True)
out.to_csv(OUT, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
print(out.groupby(["edition", "measure"]).size())
