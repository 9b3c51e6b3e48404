"""deal_renderable, the side-by-side table and the schedule CSV against the deal results they draw."""

import pytest

from tokencalc.present.deals import deal_csv, deal_renderable
from tokencalc.studies import deals as study

from .expect import human, q, row, text


@pytest.fixture(scope="module")
def amd():
    r = study.deal("amd-openai", share_price=300, samples=500, seed=4)
    return r, text(deal_renderable(r))


def test_summary_rows_show_the_results_figures(amd):
    r, out = amd
    assert row(out, "list price per accelerator")[-1] == q(r.list_price, "USD")
    assert row(out, "effective price per accelerator, after the first tranche")[-1] == q(
        r.effective_price_after_first_tranche, "USD")
    assert row(out, "effective price per accelerator, whole deal")[-1] == q(r.effective_price, "USD")
    assert row(out, "round-trip share of the vendor's revenue")[-1] == f"{100 * r.round_trip_share:.1f} %"
    assert row(out, "cost per Mtoken without / with the deal")[-1] == (
        f"{q(r.without.cost_per_million_tokens, 'USD/Mtoken')} / {q(r.cost_per_million_tokens, 'USD/Mtoken')}")


def test_tranche_rows_and_quantiles(amd):
    r, out = amd
    for t in r.tranches:
        cells = row(out, str(t["tranche"]))
        assert cells[5] == ("yes" if t["vested"] else "no")
        assert cells[6] == q(t["rebate"], "USD")
    p95 = r.samples["rebate"]["p95"]["value"]
    assert human(p95, digits=3) in row(out, "rebate [USD]")


def test_estimates_are_named(amd):
    _, out = amd
    assert "estimates (not in the deal's documents):" in out and "warrant.first_threshold" in " ".join(out.split())


def test_side_by_side_and_csv():
    c = study.compare_deals(["amd-openai", "nvidia-openai"])
    out = text(deal_renderable(c))
    cells = row(out, "vendor-funded share of capex")
    assert cells[-2:] == [f"{100 * r.vendor_funded_share:.1f} %" for r in c.deals]
    csv = deal_csv(c)
    assert csv.startswith("# amd-openai\ntranche,") and "# nvidia-openai\ngigawatt," in csv
    assert len(csv.splitlines()) == (2 + 6) + (2 + 10)  # a comment and a header per deal
