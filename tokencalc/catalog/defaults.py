"""Default values of the parameters (``defaults.toml``), the catalog's derivation rules, and the
relative sensitivity ranges of parameters that other catalog entries set (the throughput's from
the serving model's out-of-sample error, ``efficiency.toml``)."""

from __future__ import annotations

from typing import Mapping

from ..errors import CatalogError
from .llms import model_error_kind
from .reader import Figure, figure, read_toml, sources
from .once import once

__all__ = ["defaults", "relative_ranges", "throughput_ranges"]


@once
def defaults() -> Mapping[str, Figure]:
    """Default value of every numeric parameter (and the catalog's derivation rules), with sources."""
    data = read_toml("defaults.toml")
    out: dict[str, Figure] = {}
    for key, entry in data.items():
        if "id" in entry:  # catalog ids: accelerator, model, precision, throughput_source
            out[key] = figure("defaults.toml", key, {**entry, "value": entry["id"]}, quantity=False)
        elif key == "rules":
            for rule, rule_entry in entry.items():
                out[rule] = figure("defaults.toml [rules]", rule, rule_entry)
        elif key == "relative_ranges":
            continue
        else:
            out[key] = figure("defaults.toml", key, entry)
    return out


@once
def relative_ranges() -> Mapping[str, tuple[float, float, str]]:
    """Sensitivity ranges of derived parameters as (low factor, high factor, source), by parameter."""
    data = read_toml("defaults.toml").get("relative_ranges", {})
    out = {}
    for name, entry in data.items():
        if entry.get("source") not in sources() or not entry.get("date"):
            raise CatalogError(f"defaults.toml [relative_ranges.{name}]: needs a known source and a date")
        out[name] = (float(entry["low"]), float(entry["high"]), entry["source"])
    # throughput: the serving model's out-of-sample error on the measured curves (efficiency.toml),
    # truth = model / (model / measured), so the range is 1 / p90 to 1 / p10 of that ratio
    model, _ = throughput_ranges()
    if model is not None:
        out["tokens_per_second_per_accelerator"] = model
    return out


def throughput_ranges(unmeasured: str = ""):
    """(model, measured) relative ranges of the throughput as (low, high, source): 1 / p90 to 1 / p10 of the
    out-of-sample ratio model frontier / measured envelope at the default concurrency (what ``--source model``
    answers; as the benchmarks ran, or at each row's own configuration, where the file has no such figures),
    and of interpolated / measured between measured points (efficiency.toml); None where the file has no
    calibration. For a system no curve measures the model's range is the error on hardware the fit never saw
    ([loso]): ``unmeasured`` "generation" for a system of a generation its family has measured, "carried" for
    figures carried from one generation to another (an announced part)."""
    data = read_toml("efficiency.toml")
    fitted = data.get("calibration", {})
    kind = model_error_kind(fitted)
    if f"{kind}_ratio_p10" not in fitted:
        return None, None
    model = (1 / float(fitted[f"{kind}_ratio_p90"]), 1 / float(fitted[f"{kind}_ratio_p10"]), fitted["source"])
    loso = data.get("loso", {})
    if unmeasured and "carried_default_ratio_p10" in loso:  # at the default concurrency, as answers run
        prefix = "carried_default_" if unmeasured == "carried" else "default_"
        model = (1 / float(loso[f"{prefix}ratio_p90"]), 1 / float(loso[f"{prefix}ratio_p10"]), fitted["source"])
    measured = (1 / float(fitted["interp_ratio_p90"]), 1 / float(fitted["interp_ratio_p10"]), fitted["source"]) \
        if "interp_ratio_p10" in fitted else model
    return model, measured
