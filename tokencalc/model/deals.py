"""Vendor deals: a vendor's own money in a sale of accelerators, as a warrant rebate, an investment in the
buyer, and the round trip of the vendor's revenue.

* A **warrant** on the vendor's shares at a nominal strike, vesting in tranches as gigawatts are
  deployed and as the share price crosses thresholds, is a contingent rebate on the hardware: vested
  shares x (share price - strike), paid in the vendor's stock.
* A vendor **investment** in the buyer is a financing tranche: it funds a share of the capex and
  enters the capital stack at its own cost (the return it asks), which moves the WACC and, through
  the capital charge, the cost per token.
* The **round-trip share** is the part of the vendor's revenue from the deal that its own money
  (rebate or investment) funds.

Functions take pint Quantities (shares and fractions as plain numbers or dimensionless Quantities)
and broadcast over numpy arrays: one call evaluates every Monte Carlo path.

References
----------
amd-openai-warrant : AMD Form 8-K, Exhibit 4.1 (2025-10-05): 160 M shares at USD 0.01, tranches by
    GW purchased (1 to 6 GW) and by share-price targets up to USD 600.
nvidia-openai-loi : OpenAI-NVIDIA letter of intent (2025-09-22): up to USD 100 B as each of 10 GW
    is deployed.
Hull, J. C., *Options, Futures, and Other Derivatives*, ch. 15 (the lognormal share price).
Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 19 (WACC of a capital stack).
"""

from __future__ import annotations

import numpy as np

from ..units import Q_

__all__ = ["tranche_schedule", "vesting_years", "lognormal_share_prices", "vested_shares", "warrant_rebate",
           "effective_price", "vendor_funded_share", "equity_stake", "wacc_with_vendor", "round_trip_share",
           "cumulative_round_trip_share", "investment_by_gigawatt"]


def _plain(x) -> np.ndarray:
    return np.asarray(x.m_as("") if hasattr(x, "m_as") else x, dtype=float)


def _share(part, whole):
    """part / whole clipped to [0, 1]; a whole of 0 gives 1 where part > 0, else 0."""
    p = np.asarray(part.to("USD").magnitude, dtype=float)
    w = np.asarray(whole.to("USD").magnitude, dtype=float) * np.ones_like(p)
    positive = w > 0
    ratio = np.where(positive, p / np.where(positive, w, 1.0), np.where(p > 0, 1.0, 0.0))
    ratio = np.clip(ratio, 0.0, 1.0)
    return ratio if ratio.ndim else float(ratio)


def tranche_schedule(shares, tranches: int, gigawatts, first_threshold, final_threshold):
    r"""Equal warrant tranches, one per ``gigawatts / tranches`` deployed, thresholds rising linearly.

    .. math:: n_i = N / T, \quad G_i = G \, i / T, \quad P_i = P_1 + (P_T - P_1) \frac{i - 1}{T - 1}
              \quad (i = 1 \dots T;\ P_i = P_T \text{ when } T = 1)

    Parameters
    ----------
    shares : float
        Warrant shares in all, N [1].
    tranches : int
        Number of tranches, T [1].
    gigawatts : Quantity [power]
        Deployment at which the last tranche vests, G.
    first_threshold, final_threshold : Quantity [currency]
        Share-price targets of the first and the last tranche, P_1 and P_T.

    Returns
    -------
    tuple of (numpy.ndarray [1], Quantity [GW], Quantity [USD])
        Shares, cumulative gigawatts and share-price threshold of each tranche.

    References
    ----------
    amd-openai-warrant : the first tranche after the first 1 GW, full vesting at 6 GW, the final target
        USD 600; the equal split and the linear thresholds are an estimate (the terms are not public).
    """
    t = int(tranches)
    i = np.arange(1, t + 1, dtype=float)
    step = (i - 1) / (t - 1) if t > 1 else np.ones(1)
    first = first_threshold.to("USD")
    thresholds = first + (final_threshold.to("USD") - first) * step
    return np.full(t, float(shares) / t), (gigawatts.to("GW") * i / t), thresholds


def vesting_years(first_year: float, last_year: float, tranches: int) -> np.ndarray:
    r"""Calendar year [year] at which each tranche's gigawatts are deployed, evenly from the first to the last.

    .. math:: t_i = t_1 + (t_T - t_1) \frac{i - 1}{T - 1}

    References
    ----------
    amd-openai-announcement : the first gigawatt in the second half of 2026; milestones through October 2030.
    """
    t = int(tranches)
    return np.full(1, float(last_year)) if t == 1 else np.linspace(float(first_year), float(last_year), t)


def lognormal_share_prices(price, volatility, years_ahead, shocks, drift=0.0):
    r"""Share price at each vesting date along lognormal paths (geometric Brownian motion).

    .. math:: S(t_i) = S_0 \exp\left((\mu - \sigma^2/2)\, t_i + \sigma W(t_i)\right), \quad
              W(t_i) = \sum_{j \le i} \sqrt{t_j - t_{j-1}}\; z_j, \quad t_0 = 0

    Parameters
    ----------
    price : Quantity [currency]
        Share price today, S_0.
    volatility : float or dimensionless Quantity
        sigma [1/sqrt(year)]; 0 gives the deterministic path S_0 exp(mu t).
    years_ahead : array_like
        Years from today to each vesting date, t_i [year], non-decreasing and >= 0.
    shocks : numpy.ndarray
        Standard normal draws z, shape (..., number of dates) [1]: one row per path.
    drift : float or dimensionless Quantity
        mu [1/year]; 0 keeps the expected price at S_0.

    Returns
    -------
    Quantity [USD]
        Shape of ``shocks``; each path's price at each date. Scaling S_0 scales every path (for fixed
        shocks), so a higher price today never lowers a later price.

    References
    ----------
    Hull, *Options, Futures, and Other Derivatives*, ch. 15.
    """
    t = np.asarray(years_ahead, dtype=float)
    dt = np.diff(np.concatenate(([0.0], t)))
    sigma, mu = _plain(volatility), _plain(drift)
    z = np.asarray(shocks, dtype=float)
    w = np.cumsum(np.sqrt(dt) * z, axis=-1)
    log_growth = (mu - sigma ** 2 / 2) * t + sigma * w
    return price.to("USD") * np.exp(log_growth)


def vested_shares(shares, gigawatt_milestone, price_threshold, deployed, share_price):
    r"""Shares of each tranche that vest: its gigawatts deployed and the share price at its target.

    .. math:: v_i = n_i \cdot [D \ge G_i] \cdot [S_i \ge P_i]

    Parameters
    ----------
    shares : array_like
        Shares of each tranche, n_i [1].
    gigawatt_milestone : Quantity [power]
        Cumulative deployment at which each tranche vests, G_i.
    price_threshold : Quantity [currency]
        Share-price target of each tranche, P_i.
    deployed : Quantity [power]
        Gigawatts deployed, D (scalar or broadcasting).
    share_price : Quantity [currency]
        Share price at each tranche's vesting date, S_i (shape (..., tranches)).

    Returns
    -------
    numpy.ndarray [1]
        Vested shares per tranche; the technical and commercial conditions of the filing are taken as met.

    References
    ----------
    amd-openai-warrant.
    """
    built = deployed.to("GW").magnitude >= gigawatt_milestone.to("GW").magnitude - 1e-12
    priced = share_price.to("USD").magnitude >= price_threshold.to("USD").magnitude
    return np.asarray(shares, dtype=float) * built * priced


def warrant_rebate(vested, share_price, strike):
    r"""What the vested shares are worth to the buyer: a rebate paid in the vendor's stock.

    .. math:: R_i = v_i \cdot \max(S_i - K, 0)

    Parameters
    ----------
    vested : array_like
        Vested shares per tranche, v_i [1].
    share_price : Quantity [currency]
        Share price when the tranche vests, S_i.
    strike : Quantity [currency]
        Exercise price per share, K.

    Returns
    -------
    Quantity [USD]
        Rebate per tranche, undiscounted, valued at the vesting date. Non-decreasing in S_i when v_i is.

    References
    ----------
    amd-openai-warrant : K = USD 0.01.
    """
    gain = np.maximum(share_price.to("USD").magnitude - strike.to("USD").magnitude, 0.0)
    return Q_(np.asarray(vested, dtype=float) * gain, "USD")


def effective_price(list_price, rebate, accelerators):
    r"""Price per accelerator after the rebate: the list price less the rebate spread over the accelerators.

    .. math:: p_{eff} = p_{list} - R / A

    Parameters
    ----------
    list_price : Quantity [currency]
        All-in system price per accelerator, p_list.
    rebate : Quantity [currency]
        Rebate on the accelerators bought, R.
    accelerators : float or array
        Accelerators bought, A [1] (> 0).

    Returns
    -------
    Quantity [USD]
        Can fall below zero when the rebate exceeds the price paid.
    """
    return (list_price - rebate / np.asarray(accelerators, dtype=float)).to("USD")


def vendor_funded_share(vendor_money, capex):
    r"""Share of the capex the vendor's money pays: its investment (or rebate) over the capex, at most 1.

    .. math:: f = \min(I / C, 1)

    Parameters
    ----------
    vendor_money : Quantity [currency]
        The vendor's money put into the build, I (>= 0).
    capex : Quantity [currency]
        Capital expenditure it helps pay for, C (> 0).

    Returns
    -------
    numpy.ndarray or float [1]
        Between 0 and 1.
    """
    return _share(vendor_money, capex)


def equity_stake(investment, valuation):
    r"""Share of the buyer the vendor's money buys at a stated (pre-money) valuation.

    .. math:: s = I / (V + I)

    Parameters
    ----------
    investment : Quantity [currency]
        Amount invested, I.
    valuation : Quantity [currency]
        The buyer's valuation before the money, V (> 0).

    Returns
    -------
    float or numpy.ndarray [1]

    References
    ----------
    nvidia-openai-valuation : the first USD 10 B at OpenAI's valuation of about USD 500 B.
    """
    stake = (investment / (valuation + investment)).m_as("")
    return stake if np.ndim(stake) else float(stake)


def wacc_with_vendor(wacc, vendor_share, vendor_return):
    r"""WACC of a capital stack where the vendor's money funds a share f at its own cost.

    .. math:: r' = (1 - f)\, r + f\, r_v

    Parameters
    ----------
    wacc : float or dimensionless Quantity
        Cost of the rest of the capital, r [1/year].
    vendor_share : float or array
        Share of the capex the vendor funds, f [1].
    vendor_return : float or dimensionless Quantity
        The return the vendor's money asks of the buyer, r_v [1/year].

    Returns
    -------
    float or numpy.ndarray [1/year]
        Above r when the vendor's money costs more than the rest (equity in a young company), below
        it when the vendor accepts less (it earns its margin on the hardware the money buys).

    References
    ----------
    Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 19.
    """
    f = np.asarray(vendor_share, dtype=float)
    out = (1 - f) * _plain(wacc) + f * _plain(vendor_return)
    return out if out.ndim else float(out)


def round_trip_share(vendor_money, vendor_revenue):
    r"""Share of the vendor's revenue from a sale that its own money funds (the round trip).

    .. math:: \rho = \min(M, R) / R

    Parameters
    ----------
    vendor_money : Quantity [currency]
        The vendor's money in the deal (investment or rebate), M (>= 0).
    vendor_revenue : Quantity [currency]
        The vendor's revenue from the same purchases, R (> 0).

    Returns
    -------
    numpy.ndarray or float [1]
        Between 0 and 1; money beyond the revenue does not come back as revenue (1 when R = 0 < M).

    References
    ----------
    newstreet-nvidia-openai : USD 10 B invested per USD 35 B of GPUs bought, 29 %.
    tunguz-circular : Lucent's vendor financing about 20 % of its revenue in 2000.
    """
    return _share(vendor_money, vendor_revenue)


def cumulative_round_trip_share(vendor_money, vendor_revenue):
    r"""Round-trip share over the first k gigawatts, for each k (the last axis runs over gigawatts).

    .. math:: \rho_k = \min\left(\sum_{j \le k} M_j, \sum_{j \le k} R_j\right) / \sum_{j \le k} R_j

    Parameters
    ----------
    vendor_money, vendor_revenue : Quantity [currency]
        Per gigawatt (or tranche), along the last axis.

    Returns
    -------
    numpy.ndarray [1]
    """
    money = np.cumsum(vendor_money.to("USD").magnitude, axis=-1)
    revenue = np.cumsum(vendor_revenue.to("USD").magnitude * np.ones_like(money), axis=-1)
    return np.asarray(_share(Q_(money, "USD"), Q_(revenue, "USD")))


def investment_by_gigawatt(per_gigawatt, cap, gigawatts: int):
    r"""The vendor's investment in each deployed gigawatt: a fixed amount per GW until the cap is reached.

    .. math:: I_k = \min(k\, i, I_{max}) - \min((k - 1)\, i, I_{max}), \quad k = 1 \dots n

    Parameters
    ----------
    per_gigawatt : Quantity [currency / power]
        Amount per gigawatt deployed, i.
    cap : Quantity [currency]
        Most the vendor invests, I_max.
    gigawatts : int
        Gigawatts deployed, n [1].

    Returns
    -------
    Quantity [USD]
        One amount per gigawatt.

    References
    ----------
    nvidia-openai-loi : USD 10 B per GW, up to USD 100 B.
    """
    k = np.arange(0, int(gigawatts) + 1, dtype=float)
    cumulative = np.minimum(k * per_gigawatt.m_as("USD/GW"), cap.m_as("USD"))
    return Q_(np.diff(cumulative), "USD")
