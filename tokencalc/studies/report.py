"""The report: every study one scenario's page shows, gathered once into a plain frozen result.

The factory (headline, cost stack, assumptions), the throughput frontier of its workload, the cash flows
at the break-even price, the tornado, a seeded Monte Carlo and, on request, the comparison of systems
(``compare``: ids, or ``"all"`` to rank the catalog) and the fleet across generations. No figure is
computed here that a study does not compute for its own command: the page shows the same numbers as
``tokencalc factory``, ``throughput``, ``cashflow``, ``sensitivity``, ``montecarlo``, ``compare`` and
``fleet`` for the same options. :meth:`ReportResult.write_html` draws the page (:mod:`tokencalc.present.report`).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import attrs

from .. import __version__, catalog
from ..catalog import roadmap
from ..errors import ParameterError
from ..model.tokens import tokens_per_power
from ..parameters import Scenario
from ..scenario import GIVEN
from ..scenariofile import template
from .cashflow import cashflow as run_cashflow
from .compare import compare as run_compare, interactivity_sweep, rank
from .fleet import fleet as run_fleet, fleet_request
from .throughput import WORKLOAD, study as throughput_study
from .uncertainty import montecarlo, sensitivity, whole_samples
from .factory import FactoryResult, factory
from .record import envelope

__all__ = ["ReportResult", "report_study", "report", "SAMPLES", "FLEET_START"]

SAMPLES = 2_000  # Monte Carlo samples of a page: its quantiles move by well under 1 % beyond this, and it stays fast
FLEET_START = 2024  # the fleet's first operating year, unless the scenario's system ships in volume later


@attrs.frozen(repr=False)
class ReportResult:
    """What one scenario's page shows; each part is the result its own command prints."""

    factory: FactoryResult
    cashflow: Any  # studies.cashflow.CashflowResult at the break-even price
    throughput: Any  # studies.throughput.ThroughputStudy of the scenario's workload
    sensitivity: Any  # studies.uncertainty.Sensitivity
    montecarlo: Any  # studies.uncertainty.MonteCarlo (inputs not kept)
    tokens_per_megawatt_year: Any  # Quantity token/(MW*year) of facility power
    scenario_toml: str  # the scenario as a file (what --save writes)
    command: str  # what made the page
    sources: Mapping[str, Any]  # the catalog's publications by id (catalog.Source)
    comparison: Any = None  # studies.compare.Comparison or Ranking, or None
    fleet: Any = None  # studies.fleet.FleetResult, or None
    version: str = __version__

    def __repr__(self) -> str:
        parts = [name for name in ("comparison", "fleet") if getattr(self, name) is not None]
        return (f"ReportResult({self.factory.scenario.accelerator}, "
                f"{float(self.factory.cost_per_million_tokens.m_as('USD/Mtoken')):.4g} USD/Mtoken"
                + "".join(f", {p}" for p in parts) + "; .to_dict() for every figure, .write_html(path) for the page)")

    def to_dict(self) -> dict[str, Any]:
        """The figures of the page, each part as its command's JSON (without the envelope of each)."""
        def body(part):
            return None if part is None else {k: v for k, v in part.to_dict().items()
                                              if k not in ("schema_version", "tokencalc_version")}

        return envelope({
            "command": self.command,
            "factory": body(self.factory),
            "tokens_per_megawatt_year": {"value": float(self.tokens_per_megawatt_year.m_as("token/(MW*year)")),
                                         "unit": "token/(MW*year)"},
            "cashflow": body(self.cashflow), "throughput": body(self.throughput),
            "sensitivity": body(self.sensitivity), "montecarlo": body(self.montecarlo),
            "comparison": body(self.comparison), "fleet": body(self.fleet),
        })

    def write_html(self, path: str) -> None:
        """Write the page to ``path`` (a temporary file renamed, so nothing is half-written); needs plotly."""
        from ..present.report import write_page  # lazy: a display hook (the page), drawn on demand

        write_page(self, path)


def _compared(compare: str | Sequence[str] | None, accelerator: str, parameters: Mapping[str, Any]):
    """The comparison a page shows: None, every catalog system ranked ("all"), or the ids against the scenario's."""
    if compare is None:
        return None
    others = {k: v for k, v in parameters.items() if k != "accelerator"}
    if isinstance(compare, str) and compare.strip().lower() == "all":
        return rank(**others)
    ids = [i.strip() for i in compare.split(",")] if isinstance(compare, str) else [str(i).strip() for i in compare]
    ids = [i for i in ids if i]
    if not ids:
        raise ParameterError("compare", "give catalog ids separated by commas, e.g. h100,b200; or all")
    systems = [accelerator, *(i for i in ids if catalog.accelerator(i).id != accelerator)]
    result = run_compare(systems, accelerator, **others)
    if len(result.systems) > 1 and "tokens_per_second_per_accelerator" not in others:
        result = result.with_sweep(interactivity_sweep(result, **others))
    return result


def _fleet(accelerator: str, parameters: Mapping[str, Any], residual_curve):
    """The fleet first built with the scenario's system (from the year it ships in volume), if the roadmap has it."""
    first = {g.system: g for g in roadmap.roadmap().generations if g.id == g.system}.get(accelerator)
    start = FLEET_START if first is None else max(FLEET_START, int(first.first_volume.value))
    params = {k: v for k, v in parameters.items() if k not in ("accelerator", "horizon")}
    options = {"start": start, **({"gpu": first.id} if first is not None else {})}
    return run_fleet(residual_curve=residual_curve, **fleet_request(params, options))


def report_study(overrides: Mapping[str, Any] | None = None, *, compare: str | Sequence[str] | None = None,
                 fleet: bool = False, samples: Any = SAMPLES, seed: int = 0, residual_curve=None,
                 ranges: Mapping[str, Any] | None = None, distributions: Mapping[str, Any] | None = None,
                 command: str = "") -> ReportResult:
    """Run every study of a scenario's page for ``overrides`` (any parameter by name, as for :func:`factory`).

    ``compare``: catalog ids to compare with the scenario's system (a list or "h100,b200"), or "all" to rank
    every catalog system; ``fleet``: also run the fleet across generations; ``samples`` and ``seed``: the
    Monte Carlo's; ``ranges`` and ``distributions``: a scenario file's [ranges] and [distributions].
    """
    overrides = dict(overrides or {})
    n = whole_samples(samples)
    result = factory(**overrides)
    if not result.scalar:
        raise ParameterError("parameters", "a report shows one scenario; give single values, not arrays")
    accelerator = result.scenario.accelerator
    workload = {k: v for k, v in overrides.items() if k in WORKLOAD}
    flows = run_cashflow(residual_curve=residual_curve, **overrides)
    return ReportResult(
        factory=result,
        cashflow=flows,
        throughput=throughput_study({**workload, "accelerator": accelerator}),
        sensitivity=sensitivity(overrides, dict(ranges or {})),
        montecarlo=montecarlo(overrides, dict(distributions or {}), n, seed, keep_inputs=False),
        tokens_per_megawatt_year=tokens_per_power(result.tokens_per_year, result.facility_power),
        scenario_toml=template(result.scenario, result.provenance, command or None),
        command=command,
        sources=dict(catalog.sources()),
        comparison=_compared(compare, accelerator, overrides),
        fleet=_fleet(accelerator, overrides, residual_curve) if fleet else None,
    )


def report(result_or_scenario: Any = None, path: str | None = None, **options: Any) -> ReportResult:
    """Write one scenario's page to ``path`` (HTML, self-contained) and return what it shows.

    ``result_or_scenario``: a :class:`FactoryResult`, a resolved :class:`~tokencalc.Scenario`, a
    :class:`ReportResult`, or None (the defaults); ``options``: those of :func:`report_study` (compare, fleet,
    samples, seed, ...) and any parameter by name. Needs plotly (``pip install 'tokencalc[report]'``).
    """
    if path is None or not str(path).lower().endswith((".html", ".htm")):
        raise ParameterError("path", f"{path!r} is not allowed; allowed: a file name ending in .html")
    if isinstance(result_or_scenario, ReportResult):
        if options:
            raise ParameterError("options", "a ReportResult is drawn as it is; give options with a scenario")
        page = result_or_scenario
    else:
        study_options = {k: options.pop(k) for k in ("compare", "fleet", "samples", "seed", "residual_curve",
                                                     "ranges", "distributions") if k in options}
        if isinstance(result_or_scenario, FactoryResult):  # the values someone gave; the rest follows from them
            given = result_or_scenario.provenance.origins
            options = {**{k: getattr(result_or_scenario.scenario, k) for k, o in given.items() if o.kind in GIVEN},
                       **options}
        elif isinstance(result_or_scenario, Scenario):
            options = {**{k: getattr(result_or_scenario, k) for k in attrs.fields_dict(Scenario)}, **options}
        elif result_or_scenario is not None:
            raise ParameterError("result_or_scenario", f"expected a FactoryResult, Scenario or ReportResult, got "
                                 f"{type(result_or_scenario).__name__}")
        page = report_study(options, command=f"tokencalc.report(..., {str(path)!r}) from Python", **study_options)
    page.write_html(str(path))
    return page
