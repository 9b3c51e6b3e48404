"""Charts stand alone: a title, a subtitle naming the system(s), model, workload and site, every line in the
legend (the compare chart's transistor yardsticks too), the tornado's low and high ends told apart, a chart for
throughput, and SVG as well as PNG by the file's suffix."""

import pytest

pytest.importorskip("matplotlib")

from tokencalc.present import fleet as fleet_present  # noqa: E402
from tokencalc.present import plots  # noqa: E402
from tokencalc.studies import compare, fleet, throughput, uncertainty  # noqa: E402


@pytest.fixture
def drawn(monkeypatch):
    figures = []

    def keep(plt, fig, path):
        figures.append(fig)

    monkeypatch.setattr(plots, "_save_figure", keep)
    monkeypatch.setattr(fleet_present, "_save_figure", keep)
    yield figures
    import matplotlib.pyplot as plt

    for fig in figures:
        plt.close(fig)


def _texts(fig):
    ax = fig.axes[0]
    legends = [t.get_text() for a in fig.axes if a.get_legend() for t in a.get_legend().get_texts()]
    return fig._suptitle.get_text(), ax.get_title(), legends, [line for line in ax.get_lines()]


def test_compare_chart_labels_every_line_and_names_the_site(drawn):
    c = compare.compare(["h100", "gb200-nvl72"], None, None, facility_power="100 MW")
    c = c.with_sweep(compare.interactivity_sweep(c, facility_power="100 MW"))
    plots.plot_sweep(c, "x.png")
    title, sub, legend, lines = _texts(drawn[0])
    assert title == "Cost-per-token ratio to h100"
    assert sub.startswith("h100, gb200-nvl72 | deepseek-r1, 1024 in / 1024 out, 90 tok/s per user | 100 MW")
    assert any(t.startswith("gb200-nvl72: transistors alone (20 % per generation") for t in legend)
    labelled = [line for line in lines if not line.get_label().startswith("_")]
    assert len(labelled) == len(lines)  # no unlabelled line (the dotted yardstick was)


def test_tornado_says_which_end_is_low(drawn):
    result = uncertainty.sensitivity({"facility_power": "10 MW"}, {})
    plots.plot_tornado(result, "x.svg")
    title, sub, legend, _ = _texts(drawn[0])
    assert "low" in title and "high" in title and "gb200-nvl72 | deepseek-r1" in sub
    assert "cost at the parameter's low end" in legend and "cost at its high end" in legend
    ends = [t.get_text() for t in drawn[0].axes[0].texts]
    assert len(ends) == 2 * len(result.rows)  # each end carries the parameter's value there


def test_histogram_and_fleet_and_throughput_charts(drawn):
    mc = uncertainty.montecarlo({"facility_power": "10 MW"}, {}, 300, 1)
    plots.plot_histogram(mc, "x.png")
    title, sub, legend, _ = _texts(drawn[-1])
    assert "300 samples" in title and sub.startswith("gb200-nvl72 |") and any("median" in t for t in legend)
    study = throughput.study({"cache_hit_rate": 0.5})
    plots.plot_frontiers(study, "x.png")
    title, sub, legend, _ = _texts(drawn[-1])
    assert title == "Throughput against interactivity: gb200-nvl72" and "50 % cached" in sub
    assert any(t.startswith("target (measured, scaled for prompt caching") for t in legend)
    f = fleet.fleet(**fleet.fleet_request({"facility_power": "100 MW"}, dict(years="3", start="2024")))
    fleet_present.plot_fleet(f, "x.png")
    title, sub, _, _ = _texts(drawn[-1])
    assert title.startswith("Fleet under optimal") and "4 halls from 2024" in sub


def test_throughput_plot_writes_svg_and_png(cli, tmp_path):
    for name in ("frontier.svg", "frontier.png"):
        target = tmp_path / name
        run = cli("throughput", "--plot", str(target))
        assert run.code == 0, run.err
        head = target.read_bytes()[:200]
        assert (b"<svg" in target.read_bytes()[:2000]) if name.endswith(".svg") else head.startswith(b"\x89PNG")
    bad = cli("throughput", "--plot", str(tmp_path / "frontier.jpg"))
    assert bad.code == 2 and "--plot" in bad.err
