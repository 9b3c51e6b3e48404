"""`tokencalc deal`: the done-when cases of issue 22 through the command line, and its failures."""

import pytest


def _value(d, *keys):
    for key in keys:
        d = d[key]
    return d["value"] if isinstance(d, dict) else d


def test_amd_effective_price_below_list_once_a_tranche_vests(cli):
    r = cli("deal", "amd-openai", "--json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["tranches"][0]["vested"] is True
    assert _value(d, "effective_price_after_first_tranche") < _value(d, "list_price_per_accelerator")
    assert _value(d, "effective_price_per_accelerator") < _value(d, "list_price_per_accelerator")
    assert all(f["source"] and f["date"] for f in d["deal"]["figures"].values())


@pytest.mark.parametrize("price", ["150", "150 USD"])
def test_amd_below_every_target_no_rebate(cli, price):
    d = cli("deal", "amd-openai", "--share-price", price, "--json").json()
    assert not any(t["vested"] for t in d["tranches"])
    assert _value(d, "effective_price_per_accelerator") == pytest.approx(_value(d, "list_price_per_accelerator"))


def test_amd_samples_give_quantiles_of_the_rebate(cli):
    d = cli("deal", "amd-openai", "--samples", "500", "--seed", "2", "--json").json()
    q = d["samples"]["rebate"]
    assert [q[k]["unit"] for k in ("p5", "p50", "p95")] == ["USD"] * 3
    assert q["p5"]["value"] <= q["p50"]["value"] <= q["p95"]["value"] and q["p95"]["value"] > 0
    assert d["samples"]["seed"] == 2 and d["samples"]["samples"] == 500


def test_nvidia_vendor_share_round_trip_and_cost_through_wacc(cli):
    d = cli("deal", "nvidia-openai", "--json").json()
    assert 0 <= d["vendor_funded_share"] <= 1 and 0 <= d["round_trip_share"] <= 1
    f = d["vendor_funded_share"]
    assert _value(d, "wacc_with_vendor") == pytest.approx((1 - f) * 0.10 + f * 0.15)
    cost = d["cost_per_million_tokens"]
    assert cost["with_deal"]["value"] != pytest.approx(cost["without_deal"]["value"])
    cheap = cli("deal", "nvidia-openai", "--vendor-return", "0.05", "--json").json()["cost_per_million_tokens"]
    assert cheap["with_deal"]["value"] < cheap["without_deal"]["value"]


def test_compare_and_csv(cli):
    both = cli("deal", "--compare", "amd-openai", "nvidia-openai", "--json").json()
    assert [x["deal"]["id"] for x in both["deals"]] == ["amd-openai", "nvidia-openai"]
    text = cli("deal", "--compare", "amd-openai", "nvidia-openai")
    assert text.code == 0 and "amd-openai" in text.out and "round-trip share" in text.out
    csv = cli("deal", "amd-openai", "--csv").out.splitlines()
    assert csv[0].startswith("tranche,") and len(csv) == 7


@pytest.mark.parametrize("args, message", [
    (["nope"], "deal: unknown id 'nope'"),
    (["amd-openai", "nvidia-openai"], "deal: give one deal"),
    (["amd-openai", "--share-price", "-3"], "share_price"),
    (["amd-openai", "--samples", "0"], "samples"),
    (["amd-openai", "--volatility", "9", "--samples", "10"], "volatility"),
    (["nvidia-openai", "--share-price", "200"], "share_price: nvidia-openai has no warrant"),
    (["amd-openai", "--gw", "1", "--it-power", "1 GW"], "facility_power"),
])
def test_bad_input_one_line_exit_2(cli, args, message):
    r = cli("deal", *args)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("tokencalc: error: ") and message in r.err and r.err.count("\n") == 1
