"""What a report reads from the store, cached while the file is unchanged, handed out as copies."""

from khanalytics.report.inputs import load_store


def test_frames_are_copies(sample_store):
    first = load_store(sample_store)
    first.obs.loc[:, "value"] = -1.0
    again = load_store(sample_store)
    assert (again.obs["value"] >= 0).all() and len(again.obs) == len(first.obs)
    assert again.digest == first.digest and len(again.digest) >= 16
