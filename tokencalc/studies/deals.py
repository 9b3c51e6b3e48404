"""A vendor deal priced per accelerator, per gigawatt and per token (``tokencalc deal``).

The deal is priced on one factory (:mod:`.factory`) on the deal's hardware: 1 GW of IT power or of
facility power as the deal's ``gigawatt_basis`` says, unless the scenario options size the site; the
site's figures are then taken per deal gigawatt (accelerators, capex and vendor revenue over the site's
gigawatts on the deal's basis), so a 100 MW site and a 1 GW site price the same deal alike. Changing the
accelerator (``--gpu``) drops the deal's own hardware figures. Without the deal the factory pays the list
price at the scenario's WACC. With it:

* a **warrant** (``model.deals``): each tranche vests when its gigawatts are deployed and the
  vendor's share price at that date is at its target; the vested shares x (price - strike) are a
  rebate on that tranche's accelerators, annualized like the capex (``model.capital.capital_charge``
  over the accelerators' life) and taken off the annual cost. The share price is one price for every
  vesting date, one per tranche (``share_price``), or, with ``samples``, lognormal paths from the
  deal's price with its volatility (``model.deals.lognormal_share_prices``), seeded;
* an **investment**: the vendor funds ``per_gigawatt`` of each gigawatt's capex (up to its cap) at
  ``vendor_return``; the WACC becomes (1 - f) x wacc + f x vendor_return (f: the vendor-funded share
  of the capex) and the factory is evaluated again at that WACC;
* the **round-trip share**: the vendor's money over its revenue from the deal (the capex lines it
  sells), per gigawatt or tranche and cumulative.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import attrs
import numpy as np

from .. import catalog
from ..catalog import Deal
from ..catalog.deals import BASES as DEAL_BASES
from ..errors import ParameterError
from ..model import capital, deals as mech, tokens
from ..model.sampling import sample
from ..units import Q_, as_quantity, jsonable
from .factory import FactoryResult, factory
from .record import Result, envelope

__all__ = ["deal", "compare_deals", "deal_request", "DealResult", "DealComparison", "QUANTILES", "MAX_SAMPLES"]

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
MAX_SAMPLES = 1_000_000
_SITE = ("facility_power", "it_power")


@attrs.frozen
class DealResult(Result):
    """What :func:`deal` computes: prices, WACC, round trip and cost per token, without and with the deal."""

    _RENDERER = ("deals", "deal_renderable")

    deal: Deal
    without: FactoryResult  # the site at list price and the scenario's WACC
    gigawatts: int  # deal gigawatts counted
    site_gigawatts: float  # the site's size in deal gigawatts (its IT or facility power, per the deal's basis)
    accelerators_per_gw: float
    vendor_revenue_per_gw: Any  # USD: the capex lines the vendor sells
    list_price: Any  # USD per accelerator
    effective_price: Any  # USD per accelerator, averaged over the whole deal
    vendor_money: Any  # USD over the deal: rebates + investment
    vendor_funded_share: float  # of the deal's capex
    round_trip_share: float  # cumulative over the deal
    wacc_with_vendor: float
    cost_per_million_tokens: Any  # USD/Mtoken with the deal
    tranches: tuple[dict, ...] = ()  # warrant tranches (quantities)
    investment: tuple[dict, ...] = ()  # per gigawatt
    equity_stake: float | None = None  # of the buyer, after the whole investment
    samples: dict | None = None  # Monte Carlo of the share price: quantiles

    @property
    def effective_price_after_first_tranche(self):
        return self.tranches[0]["effective_price"] if self.tranches else self.list_price

    def to_dict(self) -> dict[str, Any]:
        return envelope(self.body())

    def body(self) -> dict[str, Any]:
        d, w = self.deal, self.without
        src = catalog.sources()[d.source]
        figures = {name: {"value": jsonable(f.value), "source": f.source, "date": f.date, "estimate": f.estimate,
                          **({"note": f.note} if f.note else {})} for name, f in d.figures().items()}
        body = {
            "deal": {"id": d.id, "name": d.name, "vendor": d.vendor, "buyer": d.buyer, "announced": d.announced,
                     "status": d.status, "origin": d.origin,
                     "source": {"id": src.id, "title": src.title, "url": src.url, "date": src.date},
                     "figures": figures},
            "accelerator": {"id": w.scenario.accelerator, "name": w.accelerator_name, "status": w.accelerator_status},
            "gigawatt_basis": d.gigawatt_basis.value,
            "gigawatts": self.gigawatts,
            "site": {"facility_power": jsonable(w.facility_power), "it_power": jsonable(w.it_power),
                     "accelerators": jsonable(w.accelerators), "deal_gigawatts": self.site_gigawatts},
            "per_gw": {"accelerators": self.accelerators_per_gw,
                       "capex": jsonable((w.capex.total / self.site_gigawatts).to("USD")),
                       "vendor_revenue": jsonable(self.vendor_revenue_per_gw),
                       "price_list": jsonable((self.list_price * self.accelerators_per_gw).to("USD")),
                       "price_effective": jsonable((self.effective_price * self.accelerators_per_gw).to("USD"))},
            "list_price_per_accelerator": jsonable(self.list_price),
            "effective_price_per_accelerator": jsonable(self.effective_price),
            "effective_price_after_first_tranche": jsonable(self.effective_price_after_first_tranche),
            "vendor_money": jsonable(self.vendor_money),
            "vendor_funded_share": self.vendor_funded_share,
            "round_trip_share": self.round_trip_share,
            "wacc": jsonable(w.scenario.wacc, "1"),
            "wacc_with_vendor": {"value": self.wacc_with_vendor, "unit": "1"},
            "cost_per_million_tokens": {"without_deal": jsonable(w.cost_per_million_tokens),
                                        "with_deal": jsonable(self.cost_per_million_tokens)},
            "tranches": [{k: jsonable(v) for k, v in t.items()} for t in self.tranches],
            "investment": [{k: jsonable(v) for k, v in row.items()} for row in self.investment],
            "equity_stake": self.equity_stake,
            "samples": self.samples,
        }
        return body

    def __rich__(self):
        from ..present.deals import deal_renderable  # lazy: the rich display protocol, on demand

        return deal_renderable(self)


@attrs.frozen
class DealComparison(Result):
    """Deals side by side, per gigawatt (``tokencalc deal --compare``)."""

    _RENDERER = ("deals", "deal_renderable")

    deals: tuple[DealResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return envelope({"deals": [r.body() for r in self.deals]})

    def __rich__(self):
        from ..present.deals import comparison_renderable  # lazy: the rich display protocol, on demand

        return comparison_renderable(self)


def _prices(share_price, warrant, tranches: int):
    """The share price at each vesting date [USD], from one price, a comma list (one per tranche) or the deal."""
    if share_price is None:
        return Q_(np.full(tranches, warrant.share_price.value.m_as("USD")), "USD")
    if isinstance(share_price, str):
        items = [part.strip() for part in share_price.split(",")]
    elif hasattr(share_price, "magnitude"):
        items = [Q_(v, "USD") for v in np.atleast_1d(share_price.m_as("USD"))]
    else:
        items = list(np.atleast_1d(share_price))
    values = [float(as_quantity(v, "USD", "share_price").magnitude) for v in items]
    if len(values) not in (1, tranches) or any(not 0 < v <= 1e6 for v in values):
        raise ParameterError("share_price", f"{share_price!r} is not allowed; allowed: one price above 0 and at most "
                             f"1,000,000 USD, or {tranches} such prices separated by commas, one per tranche")
    return Q_(np.array(values * (tranches if len(values) == 1 else 1)), "USD")


def _number(value, name: str, low: float, high: float, default: float, unit: str = "1") -> float:
    if value is None:
        return default
    x = float(as_quantity(value, unit, name).magnitude)
    if not low <= x <= high:
        raise ParameterError(name, f"{value!r} is not allowed; allowed: {low:g} to {high:g}")
    return x


def whole_samples(samples) -> int | None:
    """``samples`` as a whole number from 1 to MAX_SAMPLES, or None."""
    if samples is None:
        return None
    try:
        n = float(samples)
    except (TypeError, ValueError):
        n = float("nan")
    if not (n.is_integer() and 1 <= n <= MAX_SAMPLES):
        raise ParameterError("samples", f"{samples!r} is not allowed; allowed: a whole number from 1 to "
                             f"{MAX_SAMPLES:,}")
    return int(n)


def _site(d: Deal, overrides: dict) -> dict:
    out = {name: f.value for name, f in d.scenario.items()}
    if "accelerator" in overrides and str(overrides["accelerator"]).strip().lower() != out.get("accelerator"):
        out = {}  # other hardware: the deal's figures for its own hardware do not apply
    out.update(overrides)
    if not any(k in overrides for k in _SITE):
        out["it_power" if d.gigawatt_basis.value == "it" else "facility_power"] = Q_(1.0, "GW")
        if d.gigawatt_basis.value == "it":
            out.pop("facility_power", None)
    return out


def _rebate_charge(rebate_per_gw, w: FactoryResult, wacc):
    """Annual cost the rebate per gigawatt takes off, annualized like the accelerators [USD/year]."""
    return capital.capital_charge(rebate_per_gw, Q_(wacc, "1"), w.scenario.accelerator_life)


def _quantiles(values: np.ndarray, unit: str) -> dict[str, Any]:
    qs = np.quantile(values, QUANTILES)
    out = {f"p{int(round(p * 100))}": {"value": float(v), "unit": unit} for p, v in zip(QUANTILES, qs)}
    out["mean"] = {"value": float(np.mean(values)), "unit": unit}
    return out


def deal(deal_id: str, share_price=None, volatility=None, samples=None, seed: int = 0, vendor_return=None,
         gigawatt_basis: str | None = None, **overrides: Any) -> DealResult:
    """Price a vendor deal (an id of ``catalog/deals.toml`` or a TOML file) per accelerator, GW and token.

    Parameters
    ----------
    deal_id : str
        ``amd-openai``, ``nvidia-openai``, or a path ending in ``.toml``.
    share_price : Quantity, text or sequence, optional
        The vendor's share price at every vesting date, or one per tranche ("210,280,...", USD);
        default: the deal's. Only for a deal with a warrant.
    volatility : float, optional
        Lognormal volatility per square root of a year for ``samples`` (default: the deal's).
    samples : int, optional
        Draw this many share-price paths (seeded by ``seed``) from ``share_price`` (one price: today's)
        or the deal's: quantiles of the rebate, the effective price and the cost per million tokens.
    vendor_return : float, optional
        The return the vendor's investment asks per year (default: the deal's).
    gigawatt_basis : {"it", "facility"}, optional
        Which gigawatt the deal counts (default: the deal's reading).
    **overrides
        Factory parameters (``wacc``, ``utilization``, ``it_power``, ...), over the deal's own.
    """
    d = catalog.deal(deal_id)
    if gigawatt_basis is not None:
        if gigawatt_basis not in DEAL_BASES:
            raise ParameterError("gigawatt_basis", f"{gigawatt_basis!r} is not allowed; allowed: it, facility")
        chosen = attrs.evolve(d.gigawatt_basis, value=gigawatt_basis, note="set by the user", estimate=False)
        d = attrs.evolve(d, gigawatt_basis=chosen)
    n = whole_samples(samples)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise ParameterError("seed", f"{seed!r} is not allowed; allowed: a whole number from 0 to 2**63 - 1")
    if d.warrant is None and any(v is not None for v in (share_price, volatility, samples)):
        raise ParameterError("share_price", f"{d.id} has no warrant: share prices, volatility and samples apply to "
                             "deals with one (e.g. amd-openai)")
    if d.investment is None and vendor_return is not None:
        raise ParameterError("vendor_return", f"{d.id} has no vendor investment (e.g. nvidia-openai has one)")
    site = _site(d, overrides)
    w = factory(**site)
    gigawatts = max(1, int(math.ceil(d.gigawatts.value.m_as("GW") - 1e-9)))
    site_gw = float((w.it_power if d.gigawatt_basis.value == "it" else w.facility_power).m_as("GW"))
    per_gw_accelerators = float(w.accelerators) / site_gw
    per_gw_revenue = sum((getattr(w.capex, line) for line in d.vendor_lines.value), Q_(0.0, "USD")) / site_gw
    list_price = w.scenario.accelerator_capex.to("USD")
    money_total = Q_(0.0, "USD")
    wacc = float(w.scenario.wacc.m_as(""))
    wacc_new, funded, stake, invest_rows = wacc, 0.0, None, ()
    deal_capex = w.capex.total / site_gw * gigawatts
    if d.investment is not None:
        inv = d.investment
        r_v = _number(vendor_return, "vendor_return", -0.99, 1.0, float(inv.vendor_return.value.m_as("")))
        per_gw = mech.investment_by_gigawatt(inv.per_gigawatt.value, inv.cap.value, gigawatts)
        total = per_gw.sum()
        funded = mech.vendor_funded_share(total, deal_capex)
        wacc_new = mech.wacc_with_vendor(wacc, funded, r_v)
        stake = mech.equity_stake(total, inv.valuation.value)
        cumulative = mech.cumulative_round_trip_share(per_gw, per_gw_revenue)
        invest_rows = tuple({"gigawatt": k + 1, "investment": per_gw[k],
                             "equity_stake": mech.equity_stake(per_gw[k], inv.valuation.value),
                             "round_trip_share": mech.round_trip_share(per_gw[k], per_gw_revenue),
                             "cumulative_round_trip_share": float(cumulative[k])} for k in range(gigawatts))
        money_total = money_total + total
    with_wacc = factory(**{**site, "wacc": wacc_new}) if wacc_new != wacc else w
    annual = with_wacc.annual_cost.total
    tranche_rows, sampled, rebate_total = (), None, Q_(0.0, "USD")
    if d.warrant is not None:
        tranche_rows, rebate_total, sampled = _warrant(d, w, with_wacc, per_gw_accelerators, per_gw_revenue,
                                                       gigawatts, site_gw, share_price, volatility, n, seed, wacc_new)
        money_total = money_total + rebate_total
        annual = annual - _rebate_charge(rebate_total / gigawatts * site_gw, w, wacc_new)
    if d.investment is None:
        funded = mech.vendor_funded_share(money_total, deal_capex)
    revenue_total = per_gw_revenue * gigawatts
    return DealResult(
        deal=d, without=w, gigawatts=gigawatts, site_gigawatts=site_gw, accelerators_per_gw=per_gw_accelerators,
        vendor_revenue_per_gw=per_gw_revenue.to("USD"), list_price=list_price,
        effective_price=mech.effective_price(list_price, rebate_total, per_gw_accelerators * gigawatts),
        vendor_money=money_total.to("USD"), vendor_funded_share=funded,
        round_trip_share=mech.round_trip_share(money_total, revenue_total), wacc_with_vendor=wacc_new,
        cost_per_million_tokens=tokens.cost_per_million_tokens(annual, w.tokens_per_year),
        tranches=tranche_rows, investment=invest_rows, equity_stake=stake, samples=sampled,
    )


def _warrant(d: Deal, w, with_wacc, per_gw_accelerators, per_gw_revenue, gigawatts, site_gw, share_price, volatility,
             n, seed, wacc):
    """(tranche rows, total rebate, samples or None) of the deal's warrant."""
    wt = d.warrant
    t = int(wt.tranches.value)
    shares, milestones, thresholds = mech.tranche_schedule(wt.shares.value, t, d.gigawatts.value,
                                                           wt.first_threshold.value, wt.final_threshold.value)
    years = mech.vesting_years(d.first_gw_year.value, d.last_gw_year.value, t)
    deployed = Q_(float(gigawatts), "GW")
    prices = _prices(share_price, wt, t)
    vested = mech.vested_shares(shares, milestones, thresholds, deployed, prices)
    rebates = mech.warrant_rebate(vested, prices, wt.strike.value)
    gw_each = d.gigawatts.value.m_as("GW") / t
    bought = per_gw_accelerators * gw_each
    revenue = per_gw_revenue * gw_each
    cumulative = mech.cumulative_round_trip_share(rebates, revenue)
    rows = tuple({"tranche": i + 1, "gigawatts_deployed": milestones[i], "year": float(years[i]),
                  "shares": float(shares[i]), "price_threshold": thresholds[i], "share_price": prices[i],
                  "vested": bool(vested[i] > 0), "rebate": rebates[i],
                  "effective_price": mech.effective_price(w.scenario.accelerator_capex, rebates[i], bought),
                  "round_trip_share": mech.round_trip_share(rebates[i], revenue),
                  "cumulative_round_trip_share": float(cumulative[i])} for i in range(t))
    total = rebates.sum()
    sampled = None
    if n is not None:
        sigma = _number(volatility, "volatility", 0.0, 5.0, float(wt.volatility.value.m_as("")))
        rng = np.random.default_rng(seed)
        shocks = sample(rng, "normal", {"mean": 0.0, "sd": 1.0}, n * t).reshape(n, t)
        if share_price is not None and len(set(prices.m_as("USD"))) > 1:
            raise ParameterError("share_price", "with samples give one price: today's, where the paths start")
        today = prices[0] if share_price is not None else wt.share_price.value
        paths = mech.lognormal_share_prices(today, sigma, years - d.announced_year.value, shocks,
                                            wt.drift.value)
        v = mech.vested_shares(shares, milestones, thresholds, deployed, paths)
        r = mech.warrant_rebate(v, paths, wt.strike.value)
        totals = r.sum(axis=-1)
        first = mech.effective_price(w.scenario.accelerator_capex, r[:, 0], bought)
        average = mech.effective_price(w.scenario.accelerator_capex, totals, per_gw_accelerators * gigawatts)
        annual = with_wacc.annual_cost.total - _rebate_charge(totals / gigawatts * site_gw, w, wacc)
        cost = tokens.cost_per_million_tokens(annual, w.tokens_per_year)
        sampled = {"samples": n, "seed": int(seed), "volatility": sigma, "share_price_today": jsonable(today),
                   "drift": float(wt.drift.value.m_as("")),
                   "rebate": _quantiles(totals.m_as("USD"), "USD"),
                   "effective_price_per_accelerator": _quantiles(average.m_as("USD"), "USD"),
                   "effective_price_after_first_tranche": _quantiles(first.m_as("USD"), "USD"),
                   "cost_per_million_tokens": _quantiles(cost.m_as("USD/Mtoken"), "USD/Mtoken"),
                   "vesting_probability": [float(p) for p in (v > 0).mean(axis=0)]}
    return rows, total, sampled


def compare_deals(deal_ids: Sequence[str], **options: Any) -> DealComparison:
    """Several deals side by side, each per gigawatt on its own hardware (the same other options)."""
    ids = list(dict.fromkeys(deal_ids))
    if len(ids) < 2:
        raise ParameterError("compare", "give two or more deals, e.g. --compare amd-openai nvidia-openai")
    results = []
    for deal_id in ids:
        d = catalog.deal(deal_id)
        own = {k: v for k, v in options.items()
               if not (k in ("share_price", "volatility", "samples") and d.warrant is None)
               and not (k == "vendor_return" and d.investment is None)}
        results.append(deal(deal_id, **own))
    return DealComparison(tuple(results))


def deal_request(deal_ids: Sequence[str], side_by_side: bool, overrides: dict, **options: Any):
    """What ``tokencalc deal`` asks: one deal, or with ``side_by_side`` several (options as typed)."""
    options = {k: v for k, v in options.items() if v is not None}
    if side_by_side:
        return compare_deals(deal_ids, **options, **overrides)
    if len(deal_ids) != 1:
        raise ParameterError("deal", f"give one deal (got {len(deal_ids)}), or compare them with --compare")
    return deal(deal_ids[0], **options, **overrides)
