"""Measured serving benchmarks (``inferencex-dsr1.csv``).

The CSV holds SemiAnalysis InferenceX's DeepSeek-R1 rows as its public API serves them (source
``inferencex-dsr1``; columns described in the file's header and in docs). Each row becomes a
frozen :class:`BenchmarkRow` with catalog ids (system, model) and typed fields, keyed by
:class:`CurveKey` (system, model, precision, isl, osl, serving, spec_decode). The measured
curves built on them (upper envelopes, interpolated) are ``tokencalc.studies.measured``'s.

The measured points of ``measured.toml`` (InferenceMAX v1, MLPerf) stay in :mod:`.llms`.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Mapping, NamedTuple

import attrs
import numpy as np

from ..errors import CatalogError
from .hardware import accelerators
from .llms import models
from .reader import check_cited
from .once import once

__all__ = ["BenchmarkRow", "CurveKey", "benchmark_rows", "INFERENCEX_SYSTEMS", "SOURCE"]

FILE = "inferencex-dsr1.csv"
SOURCE = "inferencex-dsr1"
SOURCE_DATE = "2026-05"
INFERENCEX_SYSTEMS = {  # InferenceX hardware name -> catalog system id
    "b200": "b200", "b300": "b300", "gb200": "gb200-nvl72", "gb300": "gb300-nvl72", "h100": "h100",
    "h200": "h200", "mi300x": "mi300x", "mi325x": "mi325x", "mi355x": "mi355x",
}
OPTIONAL_SYSTEMS = frozenset({"mi325x"})  # rows skipped while the catalog lacks the system (being added)
INFERENCEX_MODELS = {"dsr1": "deepseek-r1"}


class CurveKey(NamedTuple):
    """What a measured curve is of: one system, model, precision, workload and serving technique."""

    system: str
    model: str
    precision: str
    isl: int
    osl: int
    serving: str  # "aggregated" | "disaggregated"
    spec_decode: str  # "none" | "mtp"


@attrs.frozen
class BenchmarkRow:
    """One measured benchmark run: a serving configuration at one client concurrency, and what it reached.

    Throughputs are per GPU: ``total_tokens_per_second`` (input + output, over every GPU of the
    replica, prefill and decode pools together), ``input_tokens_per_second_per_prefill_gpu`` and
    ``output_tokens_per_second_per_decode_gpu`` (None where the source leaves them empty).
    ``interactivity`` is output tokens/s seen by one user (1 / median TPOT); ``ttft``, ``tpot`` and
    ``e2el`` are medians in seconds. ``line`` is the row's line number in the CSV (header = 1).
    """

    system: str
    framework: str
    model: str
    precision: str
    spec_decode: str
    serving: str
    multinode: bool
    prefill_tp: int
    prefill_ep: int
    prefill_dp_attention: bool
    prefill_gpus: int
    decode_tp: int
    decode_ep: int
    decode_dp_attention: bool
    decode_gpus: int
    isl: int
    osl: int
    concurrency: int
    date: str
    total_tokens_per_second: float
    input_tokens_per_second_per_prefill_gpu: float | None
    output_tokens_per_second_per_decode_gpu: float | None
    interactivity: float
    ttft: float
    tpot: float
    e2el: float
    source: str = SOURCE
    line: int = 0

    @property
    def key(self) -> CurveKey:
        return CurveKey(self.system, self.model, self.precision, self.isl, self.osl, self.serving, self.spec_decode)


def benchmark_rows() -> tuple[BenchmarkRow, ...]:
    """Every measured benchmark row of ``inferencex-dsr1.csv``, in file order (read once per process)."""
    return _rows()


@once
def _rows() -> tuple[BenchmarkRow, ...]:
    check_cited(FILE, {"source": SOURCE, "date": SOURCE_DATE})
    text = resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8")
    return parse_rows(text, systems=accelerators(), model_ids=models())


def parse_rows(text: str, systems, model_ids, where: str = FILE) -> tuple[BenchmarkRow, ...]:
    """Benchmark rows from CSV ``text``; ``systems`` and ``model_ids`` are the catalog ids rows may name.

    A row of an unknown hardware, model or value is a CatalogError naming the row; rows of a
    system in OPTIONAL_SYSTEMS that the catalog lacks are skipped.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise CatalogError(f"{where}: missing columns {', '.join(missing)}")
    out = []
    for line, raw in enumerate(reader, start=2):
        label = f"{where} line {line} ({raw.get('hardware')} {raw.get('framework')} conc {raw.get('conc')})"
        hardware = raw["hardware"].strip().lower()
        system = INFERENCEX_SYSTEMS.get(hardware)
        if system is None:
            raise CatalogError(f"{label}: unknown hardware {hardware!r}; known: {', '.join(INFERENCEX_SYSTEMS)}")
        if system not in systems:
            if system in OPTIONAL_SYSTEMS:
                continue
            raise CatalogError(f"{label}: system {system!r} is not in the accelerator catalog")
        model = INFERENCEX_MODELS.get(raw["model"].strip().lower())
        if model is None or model not in model_ids:
            raise CatalogError(f"{label}: unknown model {raw['model']!r}")
        try:
            out.append(_row(raw, system, model, line))
        except (ValueError, TypeError) as exc:
            raise CatalogError(f"{label}: {exc}") from None
    return tuple(out)


_COLUMNS = ("hardware", "framework", "model", "precision", "spec_method", "disagg", "is_multinode", "prefill_tp",
            "prefill_ep", "prefill_dp_attention", "num_prefill_gpu", "decode_tp", "decode_ep", "decode_dp_attention",
            "num_decode_gpu", "isl", "osl", "conc", "date", "tput_per_gpu", "input_tput_per_gpu",
            "output_tput_per_gpu", "median_intvty", "median_ttft", "median_tpot", "median_e2el")


def _row(raw: Mapping[str, str], system: str, model: str, line: int) -> BenchmarkRow:
    precision = _choice(raw, "precision", ("fp4", "fp8"))
    spec = _choice(raw, "spec_method", ("mtp", "none"))
    date = raw["date"].strip()
    if len(date) != 10 or date[4] != "-" or date[7] != "-":
        raise ValueError(f"date {date!r} is not YYYY-MM-DD")
    return BenchmarkRow(
        system=system, framework=raw["framework"].strip(), model=model, precision=precision, spec_decode=spec,
        serving="disaggregated" if _bool(raw, "disagg") else "aggregated", multinode=_bool(raw, "is_multinode"),
        prefill_tp=_int(raw, "prefill_tp"), prefill_ep=_int(raw, "prefill_ep"),
        prefill_dp_attention=_bool(raw, "prefill_dp_attention"), prefill_gpus=_int(raw, "num_prefill_gpu"),
        decode_tp=_int(raw, "decode_tp"), decode_ep=_int(raw, "decode_ep"),
        decode_dp_attention=_bool(raw, "decode_dp_attention"), decode_gpus=_int(raw, "num_decode_gpu"),
        isl=_int(raw, "isl"), osl=_int(raw, "osl"), concurrency=_int(raw, "conc"), date=date,
        total_tokens_per_second=_float(raw, "tput_per_gpu"),
        input_tokens_per_second_per_prefill_gpu=_float(raw, "input_tput_per_gpu", optional=True),
        output_tokens_per_second_per_decode_gpu=_float(raw, "output_tput_per_gpu", optional=True),
        interactivity=_float(raw, "median_intvty"), ttft=_float(raw, "median_ttft"),
        tpot=_float(raw, "median_tpot"), e2el=_float(raw, "median_e2el"), line=line,
    )


def _choice(raw, column, allowed):
    value = raw[column].strip().lower()
    if value not in allowed:
        raise ValueError(f"{column} {raw[column]!r} is not one of {', '.join(allowed)}")
    return value


def _bool(raw, column) -> bool:
    return _choice(raw, column, ("true", "false")) == "true"


def _int(raw, column) -> int:
    value = float(raw[column])
    if value != int(value) or value < 1:
        raise ValueError(f"{column} {raw[column]!r} is not a positive whole number")
    return int(value)


def _float(raw, column, optional=False):
    text = raw[column].strip()
    if not text and optional:
        return None
    value = float(text)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{column} {text!r} is not a positive number")
    return value
