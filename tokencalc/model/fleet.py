r"""The depreciation treadmill: a power-capped site whose halls are refilled with new hardware generations.

A site of fixed power is divided into halls, the unit of replacement. Each hall holds one generation at a
time; a generation ``g`` bought for operating year ``k`` is a *vintage* that runs from year ``t0`` to the
end of year ``t1 - 1`` (``0 <= t0 < t1 <= T``). Everything here is on plain numbers, per hall, in the units
named in brackets; time index ``t`` counts years from the start of construction, cash at the end of year
``t`` (as :mod:`tokencalc.model.cashflow`): operating year ``k`` ends at ``t = B + k + 1`` for a build period
of ``B`` years, and hardware for year ``k`` is paid at ``t = B + k``.

Value of one vintage (at t = 0, discount factor :math:`v_t = (1 + r)^{-t}`):

.. math::

    S(g, t_0, t_1) = -C\,v_{B+t_0}
        + \sum_{y=t_0}^{t_1-1} \big[(1-\tau)(p_y Q_g - O_g - m C) + \tau D_{y-t_0}\big]\,v_{B+y+1}
        + \begin{cases} \tau\,L\,v_{B+t_1} & t_1 < T \text{ (book loss } L = C - \sum D \text{ written off)}\\
                        \big[(1-\tau) R + \tau L\big]\,v_{B+T} & t_1 = T \end{cases}

with :math:`C = C^{compute}_{g,t_0} + C^{network}_g` [USD] the hardware bought (the compute at the street
price of year ``t0``), :math:`p_y` the token price [USD/Mtoken], :math:`Q_g` the hall's tokens
[Mtoken/year], :math:`O_g` its energy and operations [USD/year], :math:`m` the hardware maintenance rate
[1/year], :math:`D_a` the book depreciation in the vintage's year of age ``a`` (compute and network on
their own book lives) and :math:`R = C\,\mathrm{crf}(r, \ell)\,a(r, \ell - (T - t_0))` the value still in use
at the horizon: its remaining level capital charges over the life ``l`` the policy gives it, the rule of
:func:`tokencalc.model.cashflow.project_flows`.

A hall's plan is a chain of vintages from its first operating year ``o`` to ``T``; its value is the sum of
theirs. The optimal plan is the dynamic programme over (year, installed generation, age)

.. math::

    W(t, g, a) = \max\Big(\underbrace{W(t+1, g, a+1)}_{\text{keep}},\;
                 \underbrace{\max_{g' \text{ shipping at } t} W(t+1, g', 1)}_{\text{replace}}\Big)

with the vintage's flows added along the way, keep allowed while ``a`` is below ``g``'s life limit. Because
a vintage's flows depend only on (g, t0, its years), the programme is solved on its equivalent form
:math:`V(t) = \max_{g, t_1} S(g, t, t_1) + V(t_1)`, :math:`V(T) = 0`: ``O(G T^2)`` per hall.

References
----------
Bellman, *Dynamic Programming* (1957), ch. 1 (the replacement problem); Terborgh, *Dynamic Equipment
Policy* (1949) (economic life against physical life); Brealey, Myers & Allen, *Principles of Corporate
Finance*, ch. 6 (replacement decisions, equivalent annual cost); IRS Publication 946 (book depreciation,
write-off at disposal).
"""

from __future__ import annotations

from typing import Sequence

import attrs
import numpy as np

from .cashflow import Asset, project_flows
from .finance import capital_recovery_factor

__all__ = ["Generations", "Finance", "price_path", "street_price", "hall_online_years", "extrapolate",
           "segment_table", "optimal_plan", "policy_plan", "plan_value", "plan_flows", "site_flows",
           "economic_lives", "terminal_lives", "initial_capex_shift", "level_capital_charge",
           "hardware_charges", "fleet_cost_per_token", "fleet_flows"]

Segment = tuple[int, int, int]  # (generation, first operating year t0, end t1)


@attrs.frozen
class Generations:
    """Per-hall figures of each generation ``g`` over operating years ``k = 0 .. T - 1``.

    tokens [Mtoken/year] (G,); operating_cost [USD/year] (G,): energy, site operations and facility
    maintenance; compute_cost [USD] (G, T): compute bought for year ``k`` at that year's street price;
    network_cost [USD] (G,); installable (G, T): shipping and on sale for year ``k``; life_limit [whole
    years] (G,); newness (G,): larger is newer (the order ``life=N`` picks by).
    """

    tokens: np.ndarray
    operating_cost: np.ndarray
    compute_cost: np.ndarray
    network_cost: np.ndarray
    installable: np.ndarray
    life_limit: np.ndarray
    newness: np.ndarray


@attrs.frozen
class Finance:
    """wacc [1/year], tax_rate [1], build [whole years], maintenance_rate [1/year] (of hardware capex),
    compute_book and network_book: the share of cost depreciated in each year of age (length >= T)."""

    wacc: float
    tax_rate: float
    build: int
    maintenance_rate: float
    compute_book: np.ndarray
    network_book: np.ndarray


def price_path(start_price: float, decline: float, years: int) -> np.ndarray:
    r"""Token price in each operating year [USD/Mtoken]: :math:`p_k = p_0 (1 - d)^k`.

    ``start_price`` [USD/Mtoken], ``decline`` [1/year]. Reference: a16z-llmflation (prices at constant
    capability fall about 10x a year), epoch-price-trends.
    """
    return start_price * (1.0 - decline) ** np.arange(years)


def street_price(price: float, decline: float, price_year: int, years) -> np.ndarray:
    r"""Street price of a system in calendar ``years`` [USD]: :math:`P_y = P_{y_0} (1 - \delta)^{y - y_0}`.

    ``price`` [USD] observed in ``price_year``; ``decline`` [1/year]. Reference: h100-price,
    ft-gpu-rental-2025.
    """
    return price * (1.0 - decline) ** (np.asarray(years, dtype=float) - price_year)


def hall_online_years(halls: int, hall_power: float, ramp: float | None) -> np.ndarray:
    r"""First operating year of each hall (0 = the site's first) [whole years]: :math:`o_h = \lfloor h P_h / R
    + 10^{-9} \rfloor`, halls built one after another at ``ramp`` [W/year] of ``hall_power`` [W] each;
    all at once when ``ramp`` is None."""
    if ramp is None:
        return np.zeros(halls, dtype=int)
    return np.floor(np.arange(halls) * hall_power / ramp + 1e-9).astype(int)


def extrapolate(tokens: float, hardware_cost: float, watt_gain: float, dollar_gain: float, years) -> tuple:
    r"""A generation ``n`` years after a base one, under a power cap: tokens per hall
    :math:`Q_n = Q_0 (1 + g_W)^n` (tokens per watt gain) and hardware cost per hall
    :math:`C_n = C_0 \big((1 + g_W)/(1 + g_\$)\big)^n` (tokens per dollar gain).

    ``tokens`` [Mtoken/year], ``hardware_cost`` [USD], gains [1/year]. Reference: epoch-ml-hardware (FLOP/s
    per watt doubles every 3 years, per dollar every 2.1 years).
    """
    n = np.asarray(years, dtype=float)
    return tokens * (1 + watt_gain) ** n, hardware_cost * ((1 + watt_gain) / (1 + dollar_gain)) ** n


def _discount(wacc: float, t) -> np.ndarray:
    return (1.0 + wacc) ** -np.asarray(t, dtype=float)


def _terminal_fraction(wacc: float, life, used) -> np.ndarray:
    """Share of cost still worth at the horizon: crf(r, l) x annuity(r, l - used), 0 when used >= l."""
    life = np.asarray(life, dtype=float)
    left = np.maximum(life - np.asarray(used, dtype=float), 0.0)
    if wacc == 0:
        return left / life
    return capital_recovery_factor(wacc, life) * (1 - (1 + wacc) ** -left) / wacc


def segment_table(gens: Generations, price: np.ndarray, fin: Finance, terminal_life: np.ndarray) -> dict:
    """Value S(g, t0, t1) of every vintage [USD at t = 0] and its book loss [USD], arrays (G, T, T + 1).

    ``price`` [USD/Mtoken] (T,); ``terminal_life`` [years] (G,): the life the value at the horizon is
    spread over. Entries that are not vintages (t1 <= t0, longer than the life limit) are -inf (value)
    and 0 (loss); whether a generation is on sale is the planner's business (:func:`optimal_plan`).
    """
    G, T = gens.compute_cost.shape
    B, r, tau = fin.build, fin.wacc, fin.tax_rate
    t0 = np.arange(T)[None, :, None]
    y = np.arange(T)[None, None, :]
    age = y - t0
    alive = age >= 0
    a = np.clip(age, 0, None)
    cc, nc = gens.compute_cost[:, :, None], gens.network_cost[:, None, None]
    cost = cc + nc
    dep = np.where(alive, cc * fin.compute_book[a] + nc * fin.network_book[a], 0.0)
    margin = price[None, None, :] * gens.tokens[:, None, None] - gens.operating_cost[:, None, None] \
        - fin.maintenance_rate * cost
    flow = np.where(alive, ((1 - tau) * margin + tau * dep) * _discount(r, B + y + 1), 0.0)
    zero = np.zeros((G, T, 1))
    run = np.concatenate([zero, np.cumsum(flow, axis=2)], axis=2)  # sum over y < t1
    booked = np.concatenate([zero, np.cumsum(dep, axis=2)], axis=2)
    t1 = np.arange(T + 1)[None, None, :]
    book_left = cost - booked
    residual = cost * _terminal_fraction(r, terminal_life[:, None, None], T - t0)
    end = np.where(t1 < T, tau * book_left * _discount(r, B + t1),
                   ((1 - tau) * residual + tau * book_left) * _discount(r, B + T))
    value = -cost * _discount(r, B + t0) + run + end
    ok = (t1 > t0) & (t1 - t0 <= gens.life_limit[:, None, None])
    return {"value": np.where(ok, value, -np.inf), "book_loss": np.where(ok & (t1 < T), book_left, 0.0)}


def initial_capex_shift(cost: float, online: int, fin: Finance) -> float:
    """A hall's first hardware is paid over its build period (times o + 1 .. o + B, as the site) rather
    than at t = B + o: the value to add [USD at t = 0]."""
    if fin.build == 0:
        return 0.0
    spread = _discount(fin.wacc, online + np.arange(1, fin.build + 1)).mean()
    return float(cost * (_discount(fin.wacc, fin.build + online) - spread))


def optimal_plan(table: np.ndarray, gens: Generations, online: int, first: int | None,
                 fin: Finance) -> list[Segment]:
    """The plan of greatest value for a hall first operating in year ``online`` [index], first built with
    generation ``first`` (None: whichever on sale then is best): backward induction V(t) = max over (g on sale
    in t, t1) of S(g, t, t1) + V(t1), V(T) = 0, on the vintage values ``table`` [USD at t = 0] (G, T, T + 1).
    Returns the vintages (g, t0, t1) [indices, years]."""
    G, T, _ = table.shape
    value = np.full(T + 1, -np.inf)
    value[T] = 0.0
    choice = np.zeros((T, 2), dtype=int)
    for t in range(T - 1, online, -1):
        options = np.where(gens.installable[:, t, None], table[:, t, :] + value[None, :], -np.inf)
        best = int(np.argmax(options))
        choice[t] = divmod(best, T + 1)
        value[t] = options.flat[best]
    candidates = range(G) if first is None else [first]
    best_value, plan = -np.inf, None
    for g in candidates:
        if first is None and not gens.installable[g, online]:
            continue
        shift = initial_capex_shift(gens.compute_cost[g, online] + gens.network_cost[g], online, fin)
        start = table[g, online, :] + shift + value
        t1 = int(np.argmax(start))
        if start[t1] > best_value:
            best_value, plan = start[t1], [(g, online, t1)]
    while plan[-1][2] < T:
        g, t1 = choice[plan[-1][2]]
        plan.append((int(g), plan[-1][2], int(t1)))
    return plan


def _newest(gens: Generations, t: int) -> int:
    on_sale = np.flatnonzero(gens.installable[:, t])
    return int(on_sale[np.argmax(gens.newness[on_sale])])


def policy_plan(gens: Generations, online: int, first: int | None, life: int | None) -> list[Segment]:
    """The plan of a fixed policy: ``life=N`` [years] replaces each vintage after min(N, its life limit) years
    with the newest generation on sale; ``life=None`` (never) runs each to its life limit. Returns the vintages
    (g, t0, t1) [indices, years] from year ``online`` [index], first built with ``first`` (None: the newest)."""
    T = gens.compute_cost.shape[1]
    plan, g, t0 = [], _newest(gens, online) if first is None else first, online
    while t0 < T:
        limit = int(gens.life_limit[g])
        t1 = min(t0 + (limit if life is None else min(life, limit)), T)
        plan.append((g, t0, t1))
        if t1 < T:
            g = _newest(gens, t1)
        t0 = t1
    return plan


def terminal_lives(gens: Generations, life: int | None) -> np.ndarray:
    """The life a policy gives each generation [years]: min(N, life limit) for ``life=N``, else the limit."""
    return gens.life_limit.astype(float) if life is None else np.minimum(gens.life_limit, life).astype(float)


def plan_value(table: np.ndarray, plan: Sequence[Segment], gens: Generations, fin: Finance) -> float:
    """Value of a hall's hardware plan [USD at t = 0]: the sum of its vintages' S, the first paid over the build."""
    g, t0, _ = plan[0]
    shift = initial_capex_shift(gens.compute_cost[g, t0] + gens.network_cost[g], t0, fin)
    return float(sum(table[g, a, b] for g, a, b in plan) + shift)


def plan_flows(plan: Sequence[Segment], gens: Generations, price: np.ndarray, fin: Finance,
               terminal_life: np.ndarray) -> dict[str, np.ndarray]:
    """Yearly cash-flow lines of a hall's hardware plan [USD], index t = 0 .. B + T (as S, year by year).

    Lines: capex, revenue, operating_cost, maintenance, depreciation, book_loss, residual_value, tax,
    cash_flow; and tokens [Mtoken] and generation (-1: none) by time index.
    """
    T = gens.compute_cost.shape[1]
    B, tau = fin.build, fin.tax_rate
    n = B + T + 1
    out = {k: np.zeros(n) for k in ("capex", "revenue", "operating_cost", "maintenance", "depreciation",
                                    "book_loss", "residual_value", "tokens")}
    out["generation"] = np.full(n, -1)
    for i, (g, t0, t1) in enumerate(plan):
        compute, network = gens.compute_cost[g, t0], gens.network_cost[g]
        cost = compute + network
        if i == 0 and B > 0:
            out["capex"][t0 + 1: t0 + B + 1] += cost / B
        else:
            out["capex"][B + t0] += cost
        years = np.arange(t0, t1)
        ages = years - t0
        t = B + years + 1
        dep = compute * fin.compute_book[ages] + network * fin.network_book[ages]
        out["revenue"][t] += price[years] * gens.tokens[g]
        out["tokens"][t] += gens.tokens[g]
        out["operating_cost"][t] += gens.operating_cost[g]
        out["maintenance"][t] += fin.maintenance_rate * cost
        out["depreciation"][t] += dep
        out["generation"][t] = g
        left = cost - dep.sum()
        if t1 < T:
            out["book_loss"][B + t1] += left
        else:
            out["residual_value"][B + T] += cost * _terminal_fraction(fin.wacc, terminal_life[g], T - t0)
            out.setdefault("_left_at_end", np.zeros(n))[B + T] += left
    left_at_end = out.pop("_left_at_end", np.zeros(n))
    taxable = out["revenue"] - out["operating_cost"] - out["maintenance"] - out["depreciation"] - out["book_loss"] \
        + out["residual_value"] - left_at_end
    out["tax"] = tau * taxable
    out["cash_flow"] = -out["capex"] + out["revenue"] - out["operating_cost"] - out["maintenance"] - out["tax"] \
        + out["residual_value"]
    return out


def site_flows(facility_cost: float, facility_life: int, plant_cost: float, plant_life: int, online: int,
               years: int, fin: Finance) -> dict[str, np.ndarray]:
    """A hall's building and power plant, built over the build period before year ``online`` and refreshed at
    the end of their lives [USD], index t = 0 .. B + T: :func:`tokencalc.model.cashflow.project_flows` with no
    revenue and no operating costs (capex, depreciation's tax shield, value at the horizon), shifted by
    ``online`` years."""
    n = fin.build + years + 1
    assets = [Asset(c, life, float(life)) for c, life in ((facility_cost, facility_life), (plant_cost, plant_life))
              if c > 0]
    out = {k: np.zeros(n) for k in ("capex", "depreciation", "tax", "residual_value", "cash_flow")}
    if not assets:
        return out
    flows = project_flows(assets, fin.build, years - online, fin.wacc, 0.0, fin.tax_rate, 0.0, 0.0, 0.0)
    for key in out:
        out[key][online: online + len(flows[key])] += flows[key]
    return out


def economic_lives(plans: Sequence[Sequence[Segment]], years: int) -> dict[int, tuple[float, bool]]:
    """Each generation's economic life under a set of hall plans [years]: the mean length of its vintages
    retired before the horizon, and False; or, when none retired, the mean years run so far (a lower bound)
    and True."""
    done: dict[int, list[int]] = {}
    running: dict[int, list[int]] = {}
    for plan in plans:
        for g, t0, t1 in plan:
            (done if t1 < years else running).setdefault(g, []).append(t1 - t0)
    out = {g: (float(np.mean(v)), False) for g, v in done.items()}
    for g, v in running.items():
        if g not in out:
            out[g] = (float(np.mean(v)), True)
    return out


def level_capital_charge(cost: float, life: float, wacc: float) -> float:
    """Equivalent annual cost of capital [USD/year]: cost x crf(wacc, life) (reference model v1)."""
    return float(cost * capital_recovery_factor(wacc, life))


def hardware_charges(plan: Sequence[Segment], gens: Generations, terminal_life: np.ndarray, fin: Finance) -> np.ndarray:
    """A hall's hardware capital charge in each operating year [USD/year] (T,): each vintage's cost x
    crf(wacc, the years it ran), or over its policy life when it is still running at the horizon."""
    T = gens.compute_cost.shape[1]
    out = np.zeros(T)
    for g, t0, t1 in plan:
        life = (t1 - t0) if t1 < T else max(terminal_life[g], T - t0)
        out[t0:t1] += level_capital_charge(gens.compute_cost[g, t0] + gens.network_cost[g], life, fin.wacc)
    return out



def fleet_cost_per_token(plans: Sequence[Sequence[Segment]], gens: Generations, terminal_life: np.ndarray,
                         fin: Finance, site_charge: float) -> np.ndarray:
    r"""The fleet's cost per million tokens in each operating year [USD/Mtoken] (T,), reference model v1 year
    by year: :math:`c_k = \sum_h (K^{hw}_{h,k} + K^{site} + O_{g_{h,k}} + m C_{h,k}) / \sum_h Q_{g_{h,k}}`, with
    the hardware's level capital charge :func:`hardware_charges` and the hall's building and plant charge
    ``site_charge`` [USD/year]; NaN in a year without tokens."""
    T = gens.compute_cost.shape[1]
    cost, tokens = np.zeros(T), np.zeros(T)
    for plan in plans:
        cost += hardware_charges(plan, gens, terminal_life, fin)
        cost[plan[0][1]:] += site_charge
        for g, t0, t1 in plan:
            cost[t0:t1] += gens.operating_cost[g] + fin.maintenance_rate * (gens.compute_cost[g, t0]
                                                                             + gens.network_cost[g])
            tokens[t0:t1] += gens.tokens[g]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tokens > 0, cost / np.where(tokens > 0, tokens, 1.0), np.nan)


def fleet_flows(plans: Sequence[Sequence[Segment]], gens: Generations, price: np.ndarray, fin: Finance,
                terminal_life: np.ndarray, sites: dict) -> dict[str, np.ndarray]:
    """The fleet's yearly lines [USD] (index t = 0 .. B + T): every hall's hardware (:func:`plan_flows`) plus its
    building and plant (``sites``: :func:`site_flows` by the hall's first operating year); ``halls`` (G, B + T + 1):
    how many halls hold each generation in each year."""
    T = gens.compute_cost.shape[1]
    n = fin.build + T + 1
    keys = ("capex", "revenue", "operating_cost", "maintenance", "depreciation", "book_loss", "residual_value",
            "tax", "cash_flow", "tokens")
    out = {k: np.zeros(n) for k in keys}
    out["halls"] = np.zeros((len(gens.tokens), n))
    for plan in plans:
        hw = plan_flows(plan, gens, price, fin, terminal_life)
        for k in keys:
            out[k] += hw[k]
        held = hw["generation"] >= 0
        np.add.at(out["halls"], (hw["generation"][held], np.flatnonzero(held)), 1)
        site = sites[plan[0][1]]
        for k in ("capex", "depreciation", "tax", "residual_value", "cash_flow"):
            out[k] += site[k]
    return out
