"""The reference model v1 in plain numpy floats: the speed floor the vectorized factory is measured against.

Inputs in base units (W, USD, USD/J, year, token/s); it computes the same outputs as
``tokencalc.factory`` on grid power (capex and annual-cost lines and totals, capital charge,
energy, water, tokens in and out, cost per token and per output token, cost per
accelerator-hour, tokens per energy, break-even input and output prices), with no units and no
validation.
"""

import numpy as np

YEAR_S = 365.25 * 86400.0


def crf(r, n):
    with np.errstate(divide="ignore", invalid="ignore"):
        a = r / -np.expm1(-n * np.log1p(r))
        zero = r == 0
        return np.where(zero, 1.0 / n, a) if zero.any() else a


def factory_floor(facility_power, pue, it_power_per_accelerator, accelerator_capex, network_capex,
                  facility_capex_per_w, electricity_price_per_j, load_factor, utilization, tokens_per_s,
                  accelerator_life, network_life, facility_life, wacc, site_operations_per_w_year,
                  facility_maintenance_rate, hardware_maintenance_rate, rack=72,
                  isl=1024.0, osl=8192.0, price_ratio=4.0, water_l_per_kwh=0.3):
    it = facility_power / pue
    count = np.floor(it / it_power_per_accelerator * (1 + 1e-12) / rack) * rack
    compute = count * accelerator_capex
    network = count * network_capex
    facility = it * facility_capex_per_w
    capex_total = compute + network + facility
    compute_capital = compute * crf(wacc, accelerator_life)
    network_capital = network * crf(wacc, network_life)
    facility_capital = facility * crf(wacc, facility_life)
    energy = count * it_power_per_accelerator * load_factor * pue * YEAR_S  # J per year
    electricity = energy * electricity_price_per_j
    operations = (site_operations_per_w_year * it + facility_maintenance_rate * facility
                  + hardware_maintenance_rate * (compute + network))
    annual = compute_capital + network_capital + facility_capital + electricity + operations
    tokens = count * tokens_per_s * utilization * YEAR_S
    output = tokens * (osl / (isl + osl))
    price_in = annual / (tokens - output + price_ratio * output) * 1e6
    return {
        "capital": compute_capital + network_capital + facility_capital,
        "output_tokens": output, "input_tokens": tokens - output,
        "cost_per_output_mtok": annual / output * 1e6,
        "breakeven_input": price_in, "breakeven_output": price_in * price_ratio,
        "water": energy / 3.6e6 / pue * water_l_per_kwh / 1000,
        "systems": count / rack,
        "compute": compute, "network": network, "facility": facility, "capex_total": capex_total,
        "compute_capital": compute_capital, "network_capital": network_capital,
        "facility_capital": facility_capital, "electricity": electricity, "operations": operations,
        "annual": annual, "energy": energy / 3.6e9, "tokens": tokens, "cost_per_mtok": annual / tokens * 1e6,
        "cost_per_hour": annual / count / 8766.0, "tokens_per_kwh": tokens / (energy / 3.6e6),
    }
