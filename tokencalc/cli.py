"""The ``tokencalc`` command: click commands that parse, call the library and render.

No economics here. Heavy modules (pint, numpy, rich) are imported inside the commands so
that ``tokencalc --help`` starts fast. User errors end with one line on stderr and exit
status 2; nothing is written to stdout before the whole answer is ready.
"""

from __future__ import annotations

import sys
import warnings

import click

from . import __version__

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"tokencalc: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"tokencalc: warning: {message}", err=True)


def _emit(text: str) -> None:
    """Write the complete answer in one piece (never half-written)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def _emit_json(data) -> None:
    import json

    _emit(json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False))


def _emit_rich(renderable) -> None:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    interactive = sys.stdout.isatty()
    console = Console(file=buffer, highlight=False, force_terminal=interactive,
                      width=None if interactive else 120, color_system="auto" if interactive else None)
    if interactive:
        import shutil

        console.width = shutil.get_terminal_size((120, 24)).columns
    console.print(renderable)
    _emit(buffer.getvalue())


def _answer(as_json: bool, data, renderable) -> None:
    """Print the answer: ``data()`` as JSON with --json, else ``renderable()`` through rich."""
    if as_json:
        _emit_json(data())
    else:
        _emit_rich(renderable())


def _parse_sets(pairs) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            _fail(f"--set: expected NAME=QUANTITY, e.g. --set pue=1.3 or --set electricity_price='80 USD/MWh'; "
                  f"got {pair!r}")
        if name in overrides:
            _fail(f"--set: {name} is given twice")
        overrides[name] = value
    return overrides


def _site_overrides(gw, mw, facility_power, gpu, sets, cooling=None, power_source=None) -> dict:
    from .units import parse_quantity

    overrides: dict = _parse_sets(sets)
    sizes = [(flag, text, unit) for flag, text, unit in
             (("--gw", gw, "GW"), ("--mw", mw, "MW"), ("--facility-power", facility_power, "W")) if text is not None]
    if len(sizes) + ("facility_power" in overrides) > 1:
        _fail("facility_power: give the site size once (one of --gw, --mw, --facility-power, --set facility_power=)")
    if sizes:
        flag, text, unit = sizes[0]
        overrides["facility_power"] = parse_quantity(text, unit, f"facility_power ({flag})").to("W")
    if gpu is not None:
        if "accelerator" in overrides:
            _fail("accelerator: give it once (--gpu or --set accelerator=)")
        overrides["accelerator"] = gpu
    return _workload_overrides(overrides, cooling=cooling, power_source=power_source)


site_options = [
    click.option("--gw", metavar="QUANTITY", help="Facility power in GW (a bare number), e.g. 1 or '1.5 GW'."),
    click.option("--mw", metavar="QUANTITY", help="Facility power in MW (a bare number), e.g. 100."),
    click.option("--facility-power", metavar="QUANTITY", help="Facility power with its unit, e.g. '750 MW'."),
    click.option("--gpu", "gpu", metavar="ID", help="Accelerator system id (see 'tokencalc hardware')."),
    click.option("--cooling", type=click.Choice(["air", "rear-door", "liquid", "immersion"]),
                 help="Cooling type (sets the PUE and cooling capex defaults; air cannot cool dense racks)."),
    click.option("--power-source", metavar="ID", help="grid (default), grid-shock-267, or an on-site plant: "
                 "gas-ccgt, gas-scgt, gas-recip, smr, solar-storage (see 'tokencalc power')."),
    click.option("--set", "sets", metavar="NAME=QUANTITY", multiple=True,
                 help="Set any parameter, e.g. --set pue=1.3 --set 'electricity_price=80 USD/MWh'. Repeatable."),
]


workload_options = [
    click.option("--model", metavar="ID", help="LLM served (see 'tokencalc models'), or a TOML file describing one."),
    click.option("--precision", type=click.Choice(["auto", "best", "fp16", "fp8", "fp4"]),
                 help="Weights and compute precision; best: fp4 where the system has FP4 tensor cores, else fp8."),
    click.option("--isl", metavar="TOKENS", help="Input tokens per request."),
    click.option("--osl", metavar="TOKENS", help="Output tokens per request."),
    click.option("--interactivity", metavar="QUANTITY", help="Output tokens/s each user sees, e.g. 50."),
    click.option("--max-concurrency", metavar="N", help="Most requests in flight per accelerator."),
    click.option("--source", "throughput_source", type=click.Choice(["auto", "model", "measured"]),
                 help="Throughput from the roofline model, measured points, or auto (measured where available)."),
]


def with_site_options(func):
    for option in reversed(site_options):
        func = option(func)
    return func


def with_workload_options(func):
    for option in reversed(workload_options):
        func = option(func)
    return func


def _workload_overrides(overrides: dict, **options) -> dict:
    for name, value in options.items():
        if value is None:
            continue
        if name in overrides:
            _fail(f"{name}: give it once (--{name.replace('_', '-')} or --set {name}=)")
        overrides[name] = value
    return overrides


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tokencalc")
def cli() -> None:
    """tokencalc: unit-aware AI token economics.

    What an AI factory costs to build and run, what a million tokens cost from it, and the
    revenue that breaks even. Start with: tokencalc factory --gw 1
    """


@cli.command()
@with_site_options
@with_workload_options
@click.option("--json", "as_json", is_flag=True, help="Print only JSON (the contract in docs/reference.md).")
def factory(gw, mw, facility_power, gpu, cooling, power_source, sets, as_json, **workload) -> None:
    """Cost of an AI factory, its tokens, and the revenue that breaks even.

    Facility power is what the site draws at full load (IT power x PUE). Throughput comes
    from the workload (--model, --interactivity, ...) unless
    --set tokens_per_second_per_accelerator=... is given. Every parameter has a sourced
    default; 'tokencalc parameters' lists them.
    """
    from .factory_model import factory as run_factory

    overrides = _workload_overrides(_site_overrides(gw, mw, facility_power, gpu, sets, cooling, power_source),
                                    **workload)
    result = run_factory(**overrides)
    _answer(as_json, result.to_dict, lambda: result)


@cli.command()
@click.option("--gpu", "gpu", metavar="ID", help="Accelerator system id (default: the catalog default).")
@with_workload_options
@click.option("--measured", "list_measured", is_flag=True, help="List the measured points of the catalog instead.")
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def throughput(gpu, list_measured, as_json, **workload) -> None:
    """Throughput against interactivity (the Pareto frontier) for a system and a workload.

    Tokens per second per accelerator (output and total), per MW of IT power, and the batch
    per replica, at each interactivity (output tokens/s per user), beside measured points.
    """
    from .report import frontier_dict, frontier_renderable, measured_dict, measured_renderable
    from .throughput import study

    if list_measured:
        _answer(as_json, measured_dict, measured_renderable)
        return
    overrides = _workload_overrides({} if gpu is None else {"accelerator": gpu}, **workload)
    result = study(overrides)
    _answer(as_json, lambda: frontier_dict(result), lambda: frontier_renderable(result))


@cli.command()
@click.argument("systems", nargs=-1, required=True, metavar="ID [ID ...]")
@click.option("--baseline", metavar="ID", help="System the others are compared with (default: the first).")
@with_site_options
@with_workload_options
@click.option("--sweep/--no-sweep", default=True, show_default=True, help="Also compare along interactivity.")
@click.option("--transistor-gain", metavar="FRACTION", type=float,
              help="Gain per generation from transistors alone for the yardstick (default 0.2).")
@click.option("--plot", "plot_path", metavar="FILE", help="Write the sweep chart to FILE (.png or .svg; needs the plot extra).")
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def compare(systems, baseline, gw, mw, facility_power, gpu, cooling, power_source, sets, sweep, transistor_gain,
            plot_path, as_json, **workload) -> None:
    """Compare accelerator systems on the same site and workload, and explain the ratio.

    For each system: accelerators, capex, throughput, tokens per MW and per joule, cost per
    accelerator-hour and per million tokens, and the ratio to the baseline split into factors
    (throughput, capital, facility, electricity, operations) that multiply to it.
    """
    import attrs

    from .compare import compare as run_compare
    from .compare import interactivity_sweep
    from .report import comparison_dict, comparison_renderable, plot_sweep

    if gpu is not None:
        _fail("accelerator: give the systems as arguments (tokencalc compare h100 gb200-nvl72), not --gpu")
    overrides = _workload_overrides(_site_overrides(gw, mw, facility_power, None, sets, cooling, power_source),
                                    **workload)
    if plot_path and not plot_path.lower().endswith((".png", ".svg")):
        _fail(f"--plot: {plot_path!r} must end in .png or .svg")
    result = run_compare(systems, baseline, transistor_gain, **overrides)
    if sweep and len(result.systems) > 1:
        result = attrs.evolve(result, sweep=interactivity_sweep(result, **overrides))
    elif plot_path:
        _fail("--plot draws the interactivity sweep: compare two or more systems without --no-sweep")
    if plot_path:
        plot_sweep(result, plot_path)
    _answer(as_json, lambda: comparison_dict(result), lambda: comparison_renderable(result))


@cli.command()
@click.option("--set", "sets", metavar="NAME=QUANTITY", multiple=True, help="wacc (the plants' cost of capital).")
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def power(sets, as_json) -> None:
    """Power sources side by side: grid prices and on-site plants with their LCOE and sources."""
    from .power_study import power_study
    from .report import power_dict, power_renderable

    study = power_study(_parse_sets(sets))
    _answer(as_json, lambda: power_dict(study), lambda: power_renderable(study))


@cli.command()
@click.option("--energy", "energy", metavar="QUANTITY|PRESET",
              help="An amount of energy ('10000 TWh') or a preset (china-2024, us-2024, ...): tokens it yields.")
@click.option("--tokens-per-day", metavar="QUANTITY", help="Tokens to make per day ('1e15'): the power needed.")
@click.option("--presets", "list_presets", is_flag=True, help="List the energy presets.")
@with_site_options
@with_workload_options
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def energy(energy, tokens_per_day, list_presets, gw, mw, facility_power, gpu, cooling, power_source, sets, as_json,
           **workload) -> None:
    """Tokens from an amount of energy, or the power a number of tokens per day needs.

    Uses the site model: tokens per kWh of facility energy (PUE, load factor and utilization
    included) for the chosen system and workload.
    """
    from .power_study import energy_study
    from .report import energy_dict, energy_renderable, presets_renderable

    if list_presets:
        _answer(as_json, lambda: energy_dict(None), presets_renderable)
        return
    if (energy is None) == (tokens_per_day is None):
        _fail("energy: give one of --energy (e.g. '10000 TWh' or china-2024) or --tokens-per-day")
    overrides = _workload_overrides(_site_overrides(gw, mw, facility_power, gpu, sets, cooling, power_source),
                                    **workload)
    study = energy_study(energy=energy, tokens_per_day=tokens_per_day, **overrides)
    _answer(as_json, lambda: energy_dict(study), lambda: energy_renderable(study))


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
                 help="With --debt-share and --cost-of-debt: the wacc becomes E/V x Re + D/V x Rd x (1 - tax)."),
]


def with_finance_options(func):
    for option in reversed(finance_options):
        func = option(func)
    return func


def _finance_overrides(overrides: dict, residual_curve, cost_of_equity, **finance) -> tuple[dict, list | None]:
    from .units import parse_quantity

    overrides = _workload_overrides(overrides, **finance)
    curve = None
    if residual_curve is not None:
        try:
            curve = [float(x) for x in residual_curve.split(",") if x.strip()]
        except ValueError:
            _fail(f"--residual-curve: expected fractions separated by commas, e.g. 0.6,0.35,0.2; got {residual_curve!r}")
        if not curve or any(not 0 <= x <= 1 for x in curve) or any(b > a for a, b in zip(curve, curve[1:])):
            _fail("--residual-curve: fractions between 0 and 1 that do not increase, e.g. 0.6,0.35,0.2,0.1")
    if cost_of_equity is not None:
        from .finance import weighted_average_cost_of_capital

        if "wacc" in overrides:
            _fail("wacc: give either --set wacc= or --cost-of-equity with --debt-share and --cost-of-debt")
        equity = parse_quantity(cost_of_equity, "1", "cost_of_equity").magnitude
        debt_share = parse_quantity(str(overrides.get("debt_share", "0")), "1", "debt_share").magnitude
        debt_rate = parse_quantity(str(overrides.get("cost_of_debt", "0.08")), "1", "cost_of_debt").magnitude
        tax = parse_quantity(str(overrides.get("tax_rate", "0.21")), "1", "tax_rate").magnitude
        overrides["wacc"] = float(weighted_average_cost_of_capital(debt_share, debt_rate, equity, tax))
    return overrides, curve


@cli.command()
@click.option("--price", metavar="QUANTITY", help="Token price in the first year, e.g. '2 USD/Mtoken' "
              "(default: the break-even price).")
@with_site_options
@with_workload_options
@with_finance_options
@click.option("--csv", "as_csv", is_flag=True, help="Print the yearly table as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def cashflow(price, gw, mw, facility_power, gpu, cooling, power_source, sets, horizon, build_period,
             token_price_decline, tax_rate, depreciation_method, accelerator_book_life, residual_curve, debt_share,
             cost_of_debt, cost_of_equity, as_csv, as_json, **workload) -> None:
    """Year-by-year cash flows at a token price: NPV, IRR, payback, book vs economic value."""
    from .cashflow import cashflow as run_cashflow
    from .report import cashflow_csv, cashflow_dict, cashflow_renderable

    overrides = _workload_overrides(_site_overrides(gw, mw, facility_power, gpu, sets, cooling, power_source),
                                    **workload)
    overrides, curve = _finance_overrides(
        overrides, residual_curve, cost_of_equity, horizon=horizon, build_period=build_period,
        token_price_decline=token_price_decline, tax_rate=tax_rate, depreciation_method=depreciation_method,
        accelerator_book_life=accelerator_book_life, debt_share=debt_share, cost_of_debt=cost_of_debt)
    result = run_cashflow(price=price, residual_curve=curve, **overrides)
    if as_csv:
        _emit(cashflow_csv(result))
        return
    _answer(as_json, lambda: cashflow_dict(result), lambda: cashflow_renderable(result))


@cli.command()
@click.option("--target-irr", metavar="RATE", help="Break even at this IRR instead of the cost of capital.")
@click.option("--market-price", metavar="QUANTITY", help="A market price to test, e.g. '0.1 USD/Mtoken'.")
@with_site_options
@with_workload_options
@with_finance_options
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def breakeven(target_irr, market_price, gw, mw, facility_power, gpu, cooling, power_source, sets, horizon,
              build_period, token_price_decline, tax_rate, depreciation_method, accelerator_book_life,
              residual_curve, debt_share, cost_of_debt, cost_of_equity, as_json, **workload) -> None:
    """The token price (and revenue) at which the factory's NPV is zero; with --market-price, the margin."""
    from .cashflow import breakeven_study
    from .report import breakeven_dict, breakeven_renderable

    overrides = _workload_overrides(_site_overrides(gw, mw, facility_power, gpu, sets, cooling, power_source),
                                    **workload)
    overrides, curve = _finance_overrides(
        overrides, residual_curve, cost_of_equity, horizon=horizon, build_period=build_period,
        token_price_decline=token_price_decline, tax_rate=tax_rate, depreciation_method=depreciation_method,
        accelerator_book_life=accelerator_book_life, debt_share=debt_share, cost_of_debt=cost_of_debt)
    study = breakeven_study(target_irr=target_irr, market_price=market_price, residual_curve=curve, **overrides)
    _answer(as_json, lambda: breakeven_dict(study), lambda: breakeven_renderable(study))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def models(as_json) -> None:
    """The LLM catalog: architectures the throughput model knows."""
    import attrs

    from .report import rows_table
    from .throughput import models as llm_models

    items = list(llm_models().values())
    if as_json:
        _emit_json({"models": [attrs.asdict(m) for m in items]})
        return
    rows = [(m.id, m.name, f"{m.total_params / 1e9:,.1f} B", f"{m.active_params / 1e9:,.1f} B", m.layers,
             m.attention.upper(), f"{m.experts_per_token}/{m.experts}" if m.experts else "dense",
             f"{m.max_context:,}", m.default_precision, m.source) for m in items]
    _emit_rich(rows_table("LLM catalog (add your own: --model my-model.toml)",
                          ("id", "name", "total", "active", "layers", "attention", "experts", "context",
                           "precision", "source"), rows))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def parameters(as_json) -> None:
    """Every parameter: unit, default (and what sets it), allowed range, source."""
    from . import catalog
    from .report import DISPLAY_UNITS, _q, jsonable, rows_table
    from .scenario import PARAMETERS, resolve_scenario

    scenario, provenance = resolve_scenario({})
    defaults = catalog.defaults()

    def origin(name: str) -> str:
        where = provenance.get(name, "default")
        fig = defaults.get(name)
        if where == "default" and fig is not None:
            return fig.source + (" (estimate)" if fig.estimate else "")
        return where

    if as_json:
        _emit_json({
            name: {
                "unit": spec.unit or None,
                "description": spec.description,
                "allowed": spec.allowed if spec.unit else "a catalog id",
                "default": jsonable(getattr(scenario, name)),
                "set_by": provenance.get(name, "default"),
                "source": origin(name),
            }
            for name, spec in PARAMETERS.items()
        })
        return
    rows = []
    for name, spec in PARAMETERS.items():
        value = getattr(scenario, name)
        text = value if isinstance(value, str) else _q(value, DISPLAY_UNITS.get(name, spec.unit))
        rows.append((name, spec.unit or "id", text, spec.allowed if spec.unit else "a catalog id", origin(name)))
    _emit_rich(rows_table("Parameters (--set NAME=QUANTITY; a bare number is in the unit shown). Defaults for "
                          "the default system, cooling and power source",
                          ("name", "unit", "default", "allowed", "default set by"), rows))


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
@click.pass_context
def hardware(ctx, as_json) -> None:
    """The accelerator catalog: list systems, or 'hardware show ID' for one with its sources."""
    if ctx.invoked_subcommand is not None:
        return
    from . import catalog
    from .report import hardware_rows, hardware_table

    systems = list(catalog.accelerators().values())
    _answer(as_json, lambda: {"systems": hardware_rows(systems)}, lambda: hardware_table(systems))


@hardware.command("show")
@click.argument("system_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def hardware_show(system_id, as_json) -> None:
    """One accelerator system with every figure and its source."""
    from . import catalog
    from .report import hardware_detail, hardware_detail_dict

    system = catalog.accelerator(system_id)
    _answer(as_json, lambda: hardware_detail_dict(system), lambda: hardware_detail(system))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print only JSON.")
def sources(as_json) -> None:
    """Every publication the catalog cites."""
    import attrs

    from . import catalog
    from .report import rows_table

    items = list(catalog.sources().values())
    if as_json:
        _emit_json({"sources": [attrs.asdict(s) for s in items]})
    else:
        _emit_rich(rows_table("Sources (confidence: H primary, M secondary, L estimate)",
                              ("id", "date", "conf.", "title and address"),
                              [(s.id, s.date, s.confidence, f"{s.title}\n{s.url}") for s in items]))


def main(argv=None) -> None:
    """Entry point: run the CLI; user errors become one line on stderr and exit status 2."""
    from .errors import TokencalcError

    warnings.showwarning = _show_warning
    try:
        cli.main(args=argv, prog_name="tokencalc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("tokencalc: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        _fail(exc.format_message().replace("\n", " "))
    except TokencalcError as exc:
        _fail(str(exc))
    except BrokenPipeError:  # e.g. `tokencalc factory | head`
        sys.exit(0)
    sys.exit(0)
