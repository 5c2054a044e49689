"""The suggested indicator set for the industrial rating is usable as data."""

from xlkg.core.rating import GROUPS, parse_directions, suggested_indicators


def test_indicator_set_is_complete_and_parses():
    df = suggested_indicators()
    assert list(df.columns) == ["key", "group", "ky", "ru", "en", "unit", "direction", "note"]
    assert df["key"].is_unique
    # the seed's three sides (resource potential, effectiveness, efficiency) are all covered
    assert set(df["group"]) == set(GROUPS)
    for col in ("ky", "ru", "en", "unit", "note"):
        assert (df[col].str.strip() != "").all(), col
    # the directions column is accepted by the rating as it stands
    dirs = parse_directions(df["direction"].tolist(), df["key"])
    assert set(dirs.tolist()) == {1, -1}
    # less-is-better indicators are the loss-making share and the wear of fixed assets
    assert sorted(df.loc[dirs == -1, "key"]) == ["ec.fixed_asset_wear", "ec.loss_making_share"]
    # indicators that can be negative warn that the ratio method refuses them
    for key in ("ec.financial_result", "ec.profitability"):
        assert "minmax" in df.set_index("key").loc[key, "note"]
