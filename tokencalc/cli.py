"""The ``tokencalc`` command: click commands that parse, call a study and present its result.

No economics and no defaults here. The studies and the presentation are imported on the first
command that needs them (see :func:`_studies`), so that ``tokencalc --help`` starts fast. User
errors end with one line on stderr and exit status 2; nothing is written to stdout before the
whole answer is ready.
"""

from __future__ import annotations

import os
import sys
import warnings
from importlib import import_module

import click

from . import __version__
from .errors import TokencalcError, TokencalcWarning

EXIT_USAGE = 2


def _studies():
    """The studies floor (pint, numpy, the catalog): imported by the first command that computes."""
    return import_module("tokencalc.studies")


def _present(name: str):
    """A module of the presentation floor (rich): imported only to draw a table, a CSV or a plot."""
    return import_module(f"tokencalc.present.{name}")


def _fail(message: str) -> None:
    click.echo(f"tokencalc: error: {' '.join(str(message).splitlines())}", err=True)
    sys.exit(EXIT_USAGE)


_SAVE: list[str] = []  # the --save path of the running command, written with its answer
_ARGV: list[str] = []  # the running command's arguments (a report shows the command that made it)


def _answer(as_json: bool, result, draw, as_csv: bool = False, csv=None) -> None:
    """Print ``csv(result)``, its JSON or ``draw`` = (present module, function) of it, checked finite; --save first."""
    record = _present("records").checked(result)
    if _SAVE:
        import_module("tokencalc.scenariofile").save(result, _SAVE.pop())
    console = _present("console")
    if as_csv:  # a command's own CSV, else the table of its JSON record
        console.emit(csv(result) if csv else _present("csv").record_csv(record))
    elif as_json:
        console.emit(_present("records").dumps(record, ascii_only=console.stdout_is_ascii()))  # JSON stays exact
    else:
        module, name = draw
        console.emit(console.render(getattr(_present(module), name)(result)))


def _request(options: dict):
    """(overrides, residual curve, scenario file) from a command's options (tokencalc.request); --save is kept."""
    save = options.pop("save_path", None)
    if save is not None:
        import_module("tokencalc.request").check_output_path(save, "--save", (".toml",))
        _SAVE.append(save)
    return import_module("tokencalc.request").request(options)


def _one_format(ctx, param, value):  # whichever of --csv and --json comes second sees the first: refused before any work
    if value and ctx.params.get("as_json" if param.name == "as_csv" else "as_csv"):
        raise click.UsageError("--csv and --json print different formats; choose one")
    return value


def _outputs(csv_help="Print the table as CSV (exact values, units in the header)."):
    return [click.option("--csv", "as_csv", is_flag=True, help=csv_help, callback=_one_format),
            click.option("--json", "as_json", is_flag=True, help="Print only JSON.", callback=_one_format)]


output_options = _outputs()
site_options = [
    click.option("--gw", metavar="QUANTITY", help="Facility power in GW (a bare number), e.g. 1 or '1.5 GW'."),
    click.option("--mw", metavar="QUANTITY", help="Facility power in MW (a bare number), e.g. 100."),
    click.option("--facility-power", metavar="QUANTITY", help="Facility power with its unit, e.g. '750 MW'."),
    click.option("--it-power", metavar="QUANTITY", help="Size the site by IT power instead (MW if bare), e.g. '1 GW'."),
    click.option("--gpu", "--accelerator", "gpu", metavar="ID", help="Accelerator system id (see 'tokencalc hardware')."),
    click.option("--cooling", type=click.Choice(["air", "rear-door", "liquid", "immersion"]),
                 help="Cooling type (sets the PUE and cooling capex defaults; air cannot cool dense racks)."),
    click.option("--power-source", metavar="ID", help="grid (default), grid-shock-267, or an on-site plant: "
                 "gas-ccgt, gas-scgt, gas-recip, smr, solar-storage (see 'tokencalc power')."),
    click.option("--scenario", metavar="FILE|PRESET",
                 help="A scenario file (TOML from --save or 'scenario template', or a command's --json output) "
                 "or preset (tokencalc scenario list)."),
    click.option("--save", "save_path", metavar="FILE.toml",
                 help="Also write the run's scenario (every parameter, its source; not options such as --price) to "
                 "FILE.toml, to rerun with --scenario."),
    click.option("--set", "sets", metavar="NAME=QUANTITY", multiple=True,
                 help="Set any parameter, e.g. --set pue=1.3 --set 'electricity_price=80 USD/MWh'. Repeatable."),
    click.option("--cost-basis", type=click.Choice(["build-up", "tco-hyperscaler", "tco-neocloud", "rental-3yr"]),
                 help="Cost built up from capex, energy, operations; or SemiAnalysis' price per GPU-hour.")]

workload_options = [
    click.option("--model", metavar="ID", help="LLM served (see 'tokencalc models'), or a TOML file describing one."),
    click.option("--precision", type=click.Choice(["auto", "best", "fp16", "fp8", "fp4"]),
                 help="Weights and compute precision; best: fp4 where the system has FP4 tensor cores, else fp8."),
    click.option("--isl", metavar="TOKENS", help="Input tokens per request."),
    click.option("--osl", metavar="TOKENS", help="Output tokens per request."),
    click.option("--interactivity", metavar="QUANTITY", help="Output tokens/s each user sees, e.g. 50."),
    click.option("--batch", metavar="N", help="Serve N requests per accelerator instead of an interactivity target."),
    click.option("--max-concurrency", metavar="N", help="Most requests in flight per engine (vLLM's max_num_seqs)."),
    click.option("--cache-hit-rate", metavar="SHARE", help="Share of input tokens served from the prompt cache, e.g. 0.5."),
    click.option("--serving", type=click.Choice(["best", "aggregated", "disaggregated"]),
                 help="Prefill with decode (aggregated) or on separate accelerators; best: whichever gives more."),
    click.option("--spec-decode", "spec_decode", type=click.Choice(["best", "none", "mtp"]),
                 help="Speculative decoding by multi-token prediction; best: whichever gives more."),
    click.option("--source", "throughput_source", type=click.Choice(["auto", "model", "measured"]),
                 help="Throughput from the serving model, measured curves, or auto (measured where measured).")]

finance_options = [
    click.option("--horizon", metavar="YEARS", help="Years of operation (default: the facility life)."),
    click.option("--build-period", metavar="YEARS", help="Years of construction before operation (default 1)."),
    click.option("--price-decline", "token_price_decline", metavar="RATE",
                 help="Yearly fall of the token price, e.g. 0.3 or '30 %/yr'."),
    click.option("--tax-rate", metavar="RATE", help="Income tax rate (default 0.21)."),
    click.option("--depreciation", "depreciation_method",
                 type=click.Choice(["straight-line", "declining-balance", "sum-of-years", "custom"]),
                 help="Book depreciation method of the accelerators."),
    click.option("--book-life", "accelerator_book_life", metavar="YEARS", help="Book life of the accelerators."),
    click.option("--residual-curve", metavar="F1,F2,...",
                 help="custom depreciation: book value as a fraction of cost at the end of each year."),
    click.option("--debt-share", metavar="SHARE", help="Share of the initial capex financed by debt."),
    click.option("--cost-of-debt", metavar="RATE", help="Interest rate of the debt."),
    click.option("--cost-of-equity", metavar="RATE",
                 help="With --debt-share and --cost-of-debt: the wacc becomes E/V x Re + D/V x Rd x (1 - tax).")]


def _options(*groups):
    def decorate(func):
        for option in reversed([option for group in groups for option in group]):
            func = option(func)
        return func
    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tokencalc")
def cli() -> None:
    """tokencalc: unit-aware AI token economics.

    What an AI factory costs to build and run, what a million tokens cost from it, and the
    revenue that breaks even. Start with: tokencalc factory --gw 1
    """


@cli.command()
@_options(site_options, workload_options)
@_options(output_options)
def factory(as_csv, as_json, **options) -> None:
    """Cost of an AI factory, its tokens, and the revenue that breaks even.

    Facility power is what the site draws at full load (IT power x PUE). Throughput comes
    from the workload (--model, --interactivity, ...) unless
    --set tokens_per_second_per_accelerator=... is given. Every parameter has a sourced
    default; 'tokencalc parameters' lists them.
    """
    overrides, _, _ = _request(options)
    _answer(as_json, _studies().factory.factory(**overrides), ("factory", "factory_renderable"), as_csv)


@cli.command()
@click.option("--gpu", "gpu", metavar="ID", help="Accelerator system id (default: the catalog default).")
@click.option("--scenario", metavar="FILE|PRESET", help="Take the workload from a scenario file or preset.")
@_options(workload_options)
@click.option("--measured", "list_measured", is_flag=True, help="List the measured points of the catalog instead.")
@click.option("--plot", "plot_path", metavar="FILE", help="Write the frontiers chart (.png or .svg; plot extra).")
@_options(output_options)
def throughput(list_measured, plot_path, as_csv, as_json, **options) -> None:
    """Throughput against interactivity (the Pareto frontier) for a system and a workload.

    Tokens per second per accelerator (output and total), per MW of IT power, and the batch
    per replica, at each interactivity (output tokens/s per user), beside measured points.
    """
    studies = _studies()
    if list_measured:
        import_module("tokencalc.request").check_alone("--measured", options, plot_path=plot_path)
        return _answer(as_json, studies.throughput.measured(), ("throughput", "measured_renderable"), as_csv)
    import_module("tokencalc.request").check_output_path(plot_path, "--plot")
    overrides, _, _ = _request(options)
    result = studies.throughput.study({k: v for k, v in overrides.items() if k in studies.throughput.WORKLOAD})
    if plot_path:
        _present("plots").plot_frontiers(result, plot_path)
    _answer(as_json, result, ("throughput", "frontier_renderable"), as_csv)


@cli.command()
@click.argument("systems", nargs=-1, metavar="ID [ID ...]")
@click.option("--all", "rank_all", is_flag=True, help="Rank every catalog system (the ones that cannot serve: why).")
@click.option("--status", type=click.Choice(["shipping", "announced"]), help="With --all: only systems of a status.")
@click.option("--baseline", metavar="ID", help="System the others are compared with (default: the first).")
@_options(site_options, workload_options)
@click.option("--sweep/--no-sweep", default=True, show_default=True, help="Also compare along interactivity.")
@click.option("--transistor-gain", metavar="FRACTION", type=float, help="Transistor gain per generation (0.2).")
@click.option("--plot", "plot_path", metavar="FILE", help="Write the sweep chart to FILE (.png or .svg; plot extra).")
@_options(output_options)
def compare(systems, rank_all, status, baseline, sweep, transistor_gain, plot_path, as_csv, as_json, **options) -> None:
    """Compare accelerator systems on the same site and workload, and explain the ratio (--all: rank them all).

    Per system: capex, throughput, tokens per MW and per joule, USD per accelerator-hour and per Mtoken, and the
    ratio to the baseline split into factors (throughput, capital, facility, energy, operations) that multiply to it.
    """
    study = _studies().compare
    overrides = import_module("tokencalc.request").compare_request(options, systems, rank_all or status, baseline,
                                                                   plot_path, _request)
    if rank_all or status:
        return _answer(as_json, study.rank(status, transistor_gain, **overrides), ("compare", "ranking_renderable"), as_csv)
    result = study.compare(systems, baseline, transistor_gain, **overrides)
    if sweep and len(result.systems) > 1 and "tokens_per_second_per_accelerator" not in overrides:
        result = result.with_sweep(study.interactivity_sweep(result, **overrides))
    elif plot_path:
        _fail("--plot draws the interactivity sweep: two or more systems, no --no-sweep, tokens_per_second not set")
    if plot_path:
        _present("plots").plot_sweep(result, plot_path)
    _answer(as_json, result, ("compare", "comparison_renderable"), as_csv)


@cli.command()
@click.option("--set", "sets", metavar="NAME=QUANTITY", multiple=True, help="wacc (the plants' cost of capital).")
@_options(output_options)
def power(sets, as_csv, as_json) -> None:
    """Power sources side by side: grid prices and on-site plants with their LCOE and sources."""
    _answer(as_json, _studies().energy.power_study(import_module("tokencalc.request").parse_sets(sets)), ("energy", "power_renderable"), as_csv)


@cli.command()
@click.option("--energy", "energy", metavar="QUANTITY|PRESET",
              help="An amount of energy ('10000 TWh') or a preset (china-2024, us-2024, ...): tokens it yields.")
@click.option("--tokens-per-day", metavar="QUANTITY", help="Tokens to make per day ('1e15'): the power needed.")
@click.option("--presets", "list_presets", is_flag=True, help="List the energy presets.")
@_options(site_options, workload_options)
@_options(output_options)
def energy(energy, tokens_per_day, list_presets, as_csv, as_json, **options) -> None:
    """Tokens from an amount of energy, or the power a number of tokens per day needs.

    Uses the site model: tokens per kWh of facility energy (PUE, load factor and utilization
    included) for the chosen system and workload.
    """
    study = _studies().energy
    if list_presets:
        return _answer(as_json, study.energy_presets(), ("energy", "presets_renderable"), as_csv)
    overrides, _, _ = _request(options)
    result = study.energy_study(energy=energy, tokens_per_day=tokens_per_day, **overrides)
    _answer(as_json, result, ("energy", "energy_renderable"), as_csv)


@cli.command()
@click.option("--price", metavar="QUANTITY", help="Price in the first year per million tokens, e.g. '2 USD/Mtoken', per "
              "token kind, 'input=0.5,cached=0.05,output=2 USD/Mtoken', or per rented accelerator-hour, '2.1 USD/h'.")
@_options(site_options, workload_options, finance_options)
@_options(_outputs("Print the yearly table as CSV."))
def cashflow(price, as_csv, as_json, **options) -> None:
    """Year-by-year cash flows at a token price: NPV, IRR, payback, book vs economic value."""
    overrides, curve, _ = _request(options)
    result = _studies().cashflow.cashflow(price=price, residual_curve=curve, **overrides)
    _answer(as_json, result, ("finance", "cashflow_renderable"), as_csv, lambda r: _present("csv").cashflow_csv(r))


@cli.command()
@click.option("--target-irr", metavar="RATE", help="Break even at this IRR instead of the cost of capital.")
@click.option("--market-price", "--price", "market_price", metavar="QUANTITY", help="A market price to test, e.g. "
              "'0.1 USD/Mtoken', 'input=0.5,cached=0.05,output=2 USD/Mtoken', or '2.1 USD/h' per accelerator-hour.")
@_options(site_options, workload_options, finance_options)
@_options(output_options)
def breakeven(target_irr, market_price, as_csv, as_json, **options) -> None:
    """The token price (and revenue) at which the factory's NPV is zero; with --market-price, the margin."""
    overrides, curve, _ = _request(options)
    result = _studies().cashflow.breakeven(target_irr=target_irr, market_price=market_price, residual_curve=curve,
                                           **overrides)
    _answer(as_json, result, ("finance", "breakeven_renderable"), as_csv)


@cli.command()
@click.option("--policy", default="optimal", show_default=True, metavar="POLICY",
              help="optimal (dynamic programming per hall), never (run to the life limit) or life=N.")
@click.option("--start", metavar="YEAR", help="First operating year (default 2024).")
@click.option("--years", metavar="N", help="Operating years (default 10).")
@click.option("--halls", metavar="N", help="Halls of equal power, the unit of replacement (default 4).")
@click.option("--ramp", metavar="QUANTITY", help="Facility power built per year, e.g. '250 MW/yr' (default: all at once).")
@click.option("--price", metavar="QUANTITY", help="Token price in the first year, e.g. '0.5 USD/Mtoken' (default: the "
              "market's: the cheapest v1 cost on sale each year); it falls by --price-decline.")
@click.option("--prices", metavar="P1,P2,...", help="Token price in USD/Mtoken for each year instead (the last repeats).")
@click.option("--roadmap", metavar="ID,ID,...", help="Generations to use (default: the whole roadmap).")
@click.option("--extrapolate/--no-extrapolate", default=None, help="Add generations beyond the last announced one.")
@click.option("--street-price-decline", metavar="RATE", help="Yearly fall of every system's price (default: the roadmap's).")
@_options(site_options, workload_options, finance_options)
@click.option("--plot", "plot_path", metavar="FILE", help="Write installed MW by generation and the cost per token "
              "(.png or .svg; plot extra).")
@_options(_outputs("Print the yearly table as CSV."))
def fleet(plot_path, as_csv, as_json, **options) -> None:
    """A power-capped site across hardware generations: when to replace, and each generation's economic life.

    Halls built with --gpu (default: the newest shipping at --start), refilled from the roadmap under --policy."""
    import_module("tokencalc.request").check_output_path(plot_path, "--plot")
    overrides, curve, _ = _request(options)
    study = _studies().fleet
    result = study.fleet(residual_curve=curve, **study.fleet_request(overrides, options))  # options: the fleet's own
    if plot_path:
        _present("fleet").plot_fleet(result, plot_path)
    _answer(as_json, result, ("fleet", "fleet_renderable"), as_csv, lambda r: _present("fleet").fleet_csv(r))


@cli.group()
def scenario() -> None:
    """Scenario files and presets: write a template, list and show presets."""


@scenario.command("template")
@_options(site_options, workload_options, finance_options)
def scenario_template(**options) -> None:
    """Print every parameter with its value, unit and source as a scenario file (TOML); the options set values."""
    overrides, _, _ = _request(options)
    _SAVE.clear()  # the template is the file (scenariofile: loaded for a command, not for --help)
    _present("console").emit(import_module("tokencalc.scenariofile").template(*_studies().resolve_scenario(overrides)))


@scenario.command("list")
@_options(output_options)
def scenario_list(as_csv, as_json) -> None:
    """The named presets (hyperscaler, neocloud, sovereign, ...)."""
    _answer(as_json, _studies().catalog.scenario_presets(), ("catalog", "presets_table"), as_csv)


@scenario.command("show")
@click.argument("name", metavar="PRESET|FILE")
@_options(output_options)
def scenario_show(name, as_csv, as_json) -> None:
    """One preset or file: what it sets, with sources, and the factory's answer under it."""
    _answer(as_json, _studies().catalog.scenario_show(name), ("factory", "scenario_renderable"), as_csv)


@cli.command()
@_options(site_options, workload_options)
@click.option("--plot", "plot_path", metavar="FILE", help="Write a tornado chart (.png or .svg; plot extra).")
@_options(_outputs("Print the table as CSV."))
def sensitivity(plot_path, as_csv, as_json, **options) -> None:
    """Tornado: the cost per million tokens as each parameter moves over its low-high range."""
    import_module("tokencalc.request").check_output_path(plot_path, "--plot")
    overrides, _, scenario_file = _request(options)
    result = _studies().uncertainty.sensitivity(overrides, dict(getattr(scenario_file, "ranges", {})))
    if plot_path:
        _present("plots").plot_tornado(result, plot_path)
    _answer(as_json, result, ("uncertainty", "sensitivity_renderable"), as_csv,
            lambda r: _present("csv").sensitivity_csv(r))


@cli.command()
@click.option("--samples", default="10000", show_default=True, metavar="N", help="Number of samples.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the random generator.")
@_options(site_options, workload_options)
@click.option("--plot", "plot_path", metavar="FILE", help="Write a histogram (.png or .svg; plot extra).")
@_options(_outputs("Print every sample (parameters and results) as CSV."))
def montecarlo(samples, seed, plot_path, as_csv, as_json, **options) -> None:
    """Monte Carlo: quantiles of the cost per million tokens and the break-even price.

    Distributions come from the scenario file's [distributions], else triangular over the
    catalog's low-default-high ranges (throughput: lognormal through its out-of-sample band).
    """
    import_module("tokencalc.request").check_output_path(plot_path, "--plot")
    study = _studies().uncertainty
    n = study.whole_samples(samples)
    overrides, _, scenario_file = _request(options)
    progress = _present("console").progress_bar("Monte Carlo") if n > 4 * study.CHUNK and not as_json else None
    result = study.montecarlo(overrides, dict(getattr(scenario_file, "distributions", {})), n, seed,
                              progress=progress, keep_inputs=False)
    if plot_path:
        _present("plots").plot_histogram(result, plot_path)
    written = _present("console").progress_bar("Writing CSV", "samples") if progress else None
    _answer(as_json, result, ("uncertainty", "montecarlo_renderable"), as_csv,
            lambda r: _present("csv").montecarlo_csv_pieces(r, progress=written))


@cli.command()
@_options(site_options, workload_options, finance_options)
@click.option("--compare", "compare_ids", metavar="ID,ID,...", help="Also compare these systems with it (and why).")
@click.option("--all", "compare_all", is_flag=True, help="Also rank every catalog system on the same site and workload.")
@click.option("--fleet", "with_fleet", is_flag=True, help="Also run the site across hardware generations (treadmill).")
@click.option("--samples", default="2000", show_default=True, metavar="N", help="Monte Carlo samples.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the Monte Carlo.")
@click.option("-o", "--output", required=True, metavar="FILE.html", help="The page to write (needs the report extra).")
def report(output, **options) -> None:
    """One self-contained HTML page of a scenario: headline, cost stack, frontier, tornado, Monte Carlo, cash flows."""
    import_module("tokencalc.request").check_report_output(output)  # before any work: the path, plotly installed
    overrides, study_options = import_module("tokencalc.request").report_options(options, _request(options), _ARGV)
    page = _studies().report.report_study(overrides, **study_options)
    if _SAVE:
        import_module("tokencalc.scenariofile").save(page.factory, _SAVE.pop())
    _present("report").write_page(page, output)
    _present("console").emit(f"wrote {output}")


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID ...]")
@_options(output_options)
def claims(ids, as_csv, as_json) -> None:
    """Published claims about token economics, each checked: claimed figure, tokencalc's, verdict
    (consistent; only under named conditions; inconsistent), the inputs that drive it, the interactivity band."""
    _answer(as_json, _studies().claims.check_all(ids or None), ("claims", "claims_renderable"), as_csv)


@cli.command()
@click.argument("deal_ids", nargs=-1, required=True, metavar="ID|FILE [ID ...]")
@click.option("--compare", "side_by_side", is_flag=True, help="Two or more deals side by side, per gigawatt.")
@click.option("--share-price", metavar="PRICE[,...]", help="Vendor share price at vesting: one, or one per tranche.")
@click.option("--volatility", metavar="SIGMA", help="Share-price volatility per sqrt(year) for --samples.")
@click.option("--samples", metavar="N", help="Draw N lognormal share-price paths: quantiles of the rebate.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the random generator.")
@click.option("--vendor-return", metavar="RATE", help="Return per year the vendor's investment asks of the buyer.")
@_options(site_options, workload_options)
@_options(_outputs("Print the vesting or investment schedule as CSV."))
def deal(deal_ids, side_by_side, as_csv, as_json, **options) -> None:
    """A vendor deal per accelerator, GW and token: warrant rebate, vendor money in WACC, round trip."""
    deal_options = {k: options.pop(k) for k in ("share_price", "volatility", "samples", "seed", "vendor_return")}
    result = _studies().deals.deal_request(deal_ids, side_by_side, _request(options)[0], **deal_options)
    _answer(as_json, result, ("deals", "deal_renderable"), as_csv, lambda r: _present("deals").deal_csv(r))


@cli.command()
@click.argument("name", required=False, metavar="[OUTPUT]")
def schema(name) -> None:
    """Print the JSON schema of the --json outputs (all, or one: factory, compare, throughput, ...)."""
    _present("console").emit(import_module("tokencalc.schema").schema_text(name))


@cli.command()
@_options(output_options)
def models(as_csv, as_json) -> None:
    """The LLM catalog: architectures the throughput model knows."""
    _answer(as_json, _studies().catalog.models(), ("catalog", "models_table"), as_csv)


@cli.command()
@_options(output_options)
def parameters(as_csv, as_json) -> None:
    """Every parameter: unit, default (and what sets it), allowed range, source."""
    _answer(as_json, _studies().catalog.parameters(), ("catalog", "parameters_table"), as_csv)


@cli.group(invoke_without_command=True)
@_options(output_options)
@click.pass_context
def hardware(ctx, as_csv, as_json) -> None:
    """The accelerator catalog: list systems, or 'hardware show ID' for one with its sources."""
    if ctx.invoked_subcommand is None:
        _answer(as_json, _studies().catalog.hardware(), ("catalog", "hardware_table"), as_csv)


@hardware.command("show")
@click.argument("system_id", metavar="ID")
@_options(output_options)
def hardware_show(system_id, as_csv, as_json) -> None:
    """One accelerator system with every figure and its source."""
    _answer(as_json, _studies().catalog.hardware_detail(system_id), ("catalog", "hardware_detail"), as_csv)


@cli.command()
@_options(output_options)
def sources(as_csv, as_json) -> None:
    """Every publication the catalog cites."""
    _answer(as_json, _studies().catalog.sources(), ("catalog", "sources_table"), as_csv)


def main(argv=None) -> None:
    """Entry point: run the CLI; user errors become one line on stderr and exit status 2."""
    argv = _ARGV[:] = list(sys.argv[1:] if argv is None else argv) or ["--help"]  # bare `tokencalc`: the help
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cli.main(args=argv, prog_name="tokencalc", standalone_mode=False)
        # warnings only with an answer: a failed run prints its one error line alone; library noise is not shown
        for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, TokencalcWarning)):
            click.echo(f"tokencalc: warning: {message}", err=True)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("tokencalc: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        _fail(_present("console").click_message(exc))
    except TokencalcError as exc:
        _fail(str(exc))
    except BrokenPipeError:  # e.g. `tokencalc factory | head`
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("tokencalc: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line, no traceback (TOKENCALC_DEBUG=1 shows it)
        if os.environ.get("TOKENCALC_DEBUG"):
            raise
        message = " ".join(str(exc).split())[:300]
        click.echo(f"tokencalc: internal error: {type(exc).__name__}: {message} (please report it; "
                   "TOKENCALC_DEBUG=1 shows the traceback)", err=True)
        sys.exit(1)
    sys.exit(0)
