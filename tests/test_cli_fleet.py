"""The fleet command: its JSON keys, CSV, plot, and one-line errors."""

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::tokencalc.TokencalcWarning")

ARGS = ("fleet", "--gw", "1", "--start", "2023", "--gpu", "h100", "--years", "5", "--price", "2",
        "--price-decline", "30%", "--model", "llama-3.1-70b", "--interactivity", "30")


def test_fleet_json_keys(cli):
    r = cli(*ARGS, "--json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["policy"] == "optimal" and d["npv"]["unit"] == "USD"
    assert {"policy", "npv", "years", "economic_life", "book_loss", "policies"} <= set(d)
    row = d["years"][-1]
    assert {"year", "installed", "tokens", "revenue", "cost", "cash_flow"} <= set(row)
    assert row["year"] == 2027 and sum(v["value"] for v in row["installed"].values()) == pytest.approx(1000)
    assert "h100" in d["economic_life"]
    assert d["policies"]["optimal"]["npv"]["value"] >= max(p["npv"]["value"] for p in d["policies"].values())


def test_fleet_table_csv_and_plot(cli, tmp_path):
    r = cli(*ARGS, "--policy", "life=3", "--ramp", "500 MW/yr")
    assert r.code == 0, r.err
    assert "Decision rule" in r.out and "Economic life under life=3" in r.out and "* life=3" in r.out
    r = cli(*ARGS, "--csv")
    assert r.code == 0 and r.out.splitlines()[0].startswith("year,tokens,revenue")
    pytest.importorskip("matplotlib")
    path = tmp_path / "fleet.png"
    r = cli(*ARGS, "--plot", str(path))
    assert r.code == 0, r.err
    assert path.stat().st_size > 1000


@pytest.mark.parametrize("args, fragment", [
    (("--policy", "sometimes"), "policy: 'sometimes' is not allowed; allowed: optimal, never, life=N"),
    (("--gpu", "vr200-nvl144"), "gpu: vr200-nvl144 ships in volume from 2026"),
    (("--gpu", "b100"), "gpu: unknown generation 'b100'"),
    (("--horizon", "8"), "horizon: the fleet counts its operating years with --years"),
    (("--prices", "1,x"), "prices:"),
    (("--roadmap", "h100,zz9"), "roadmap: unknown generation 'zz9'"),
])
def test_fleet_errors_are_one_line_exit_2(cli, args, fragment):
    base = list(ARGS)
    for flag in ("--gpu", "--prices"):
        if flag in args:  # replace --gpu h100; --prices instead of --price 2
            i = base.index("--price" if flag == "--prices" else flag)
            del base[i:i + 2]
    r = cli(*base, *args)
    assert r.code == 2
    assert fragment in r.err and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
