"""The documentation site builds without warnings (mkdocs --strict), and the docs cover the commands."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("mkdocs") is None and not (Path(sys.executable).parent / "mkdocs").exists(),
                    reason="mkdocs is in the test extra")
def test_docs_build_strict(tmp_path):
    mkdocs = shutil.which("mkdocs") or str(Path(sys.executable).parent / "mkdocs")
    result = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "site" / "api" / "index.html").exists()


def test_every_command_is_in_the_reference():
    from tokencalc.cli import cli

    text = (ROOT / "docs" / "reference.md").read_text()
    for name in cli.commands:
        assert f"tokencalc {name}" in text, name


@pytest.mark.parametrize("script", ["gen_validation.py", "gen_hopper_vs_blackwell.py", "gen_finance.py",
                                    "gen_claims.py", "gen_deals.py"])
def test_generated_pages_are_current(script):  # noqa: D103 - see the docstring below
    """Pages built from the tool's own output must match it (rerun the script after a model change)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def test_calibration_is_current():
    """The fitted efficiencies in catalog/efficiency.toml are what the measured data give (fast mode: one fit,
    no leave-one-curve-out; the full run, python scripts/gen_calibration.py, takes about a minute)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_calibration.py"), "--fast", "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _tour_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = text.split("## A short tour", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip().startswith("tokencalc ")]


@pytest.mark.parametrize("command", _tour_commands())
def test_readme_tour_commands_run(cli, command, tmp_path, monkeypatch):
    """Every command of the README's tour answers (exit 0), as a new user would type it."""
    import shlex

    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]
    if ">" in args:  # tokencalc scenario template > site.toml
        target = args[args.index(">") + 1]
        r = cli(*args[:args.index(">")])
        (tmp_path / target).write_text(r.out)
    elif "site.toml" in args:
        (tmp_path / "site.toml").write_text(cli("scenario", "template").out)
        r = cli(*args)
    else:
        r = cli(*args)
    assert r.code == 0, f"{command}: {r.err}"
    assert r.out.strip()


_HOWTOS = ("docs/howto/cost-per-hour.md", "docs/howto/onsite-power.md")


def _howto_commands() -> list[tuple[str, str]]:
    out = []
    for page in _HOWTOS:
        for block in (ROOT / page).read_text().split("```bash")[1:]:
            for line in block.split("```", 1)[0].splitlines():
                command = line.split(" #", 1)[0].strip()
                if command.startswith("tokencalc "):
                    out.append((page, command))
    return out


@pytest.mark.parametrize("page, command", _howto_commands())
def test_howto_commands_run(cli, page, command):
    """Every command of these how-to pages answers (exit 0) as written."""
    import shlex

    r = cli(*shlex.split(command)[1:])
    assert r.code == 0, f"{page}: {command}: {r.err}"
    assert r.out.strip()
