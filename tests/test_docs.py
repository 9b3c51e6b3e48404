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


def test_the_references_json_example_is_todays_output():
    """The shortened example of `factory --gw 1 --json` in docs/reference.md: every key and value it shows is the
    tool's own (the version, the scenario's first values)."""
    import json
    import re

    text = (ROOT / "docs" / "reference.md").read_text()
    example = re.search(r"Example \(shortened\):\n\n```json\n(.*?)\n  \.\.\.\n}", text, re.S)[1].rstrip().rstrip(",") + "\n}}"
    shown = json.loads(example)
    run = subprocess.run([sys.executable, "-m", "tokencalc", "factory", "--gw", "1", "--json"], capture_output=True,
                         text=True, check=True)
    actual = json.loads(run.stdout)
    assert shown["tokencalc_version"] == actual["tokencalc_version"]
    assert shown["accelerator"] == actual["accelerator"]
    assert {k: actual["scenario"][k] for k in shown["scenario"]} == shown["scenario"]


@pytest.mark.parametrize("script", ["gen_validation.py", "gen_hopper_vs_blackwell.py", "gen_finance.py",
                                    "gen_claims.py", "gen_treadmill.py", "gen_deals.py"])
def test_generated_pages_are_current(script):  # noqa: D103 - see the docstring below
    """Pages built from the tool's own output must match it (rerun the script after a model change)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def test_calibration_is_current():
    """The fitted efficiencies in catalog/efficiency.toml are what the measured data give (fast mode: a fit
    started from the file's figures must stay there; the full run with leave-one-curve-out,
    python scripts/gen_calibration.py, takes about a minute on 2 cores)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_calibration.py"), "--fast", "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _documented_commands(page: Path) -> list[tuple[str, bool, str | None]]:
    """Every `tokencalc ...` line of a page's code blocks, in order (continuations joined, a pipe's tail
    dropped), whether the page shows it failing (a `$ tokencalc ...` line followed by a `tokencalc: error:`
    line), and the TOML block shown just before it (what the page asks you to save as the file it names)."""
    import re

    out, toml = [], None
    for lang, block in re.findall(r"```([a-z]*)\n(.*?)```", page.read_text(), re.S):
        if lang == "toml":
            toml = block
            continue
        lines = block.replace("\\\n", " ").splitlines()
        for n, line in enumerate(lines):
            text = line.strip()
            shown = text.startswith("$ ")
            text = text[2:] if shown else text
            if text.startswith("export "):
                out.append((text, False, toml))
            elif text.startswith("tokencalc "):
                fails = shown and n + 1 < len(lines) and lines[n + 1].startswith("tokencalc: error:")
                out.append((text.split(" #", 1)[0].split(" | ", 1)[0].strip(), fails, toml))
    return out


_WITH_COMMANDS = [p for p in _pages() if any(c.startswith("tokencalc") for c, _, _ in _documented_commands(p))]


@pytest.mark.parametrize("page", _WITH_COMMANDS, ids=[str(p.relative_to(ROOT)) for p in _WITH_COMMANDS])
def test_every_documented_command_runs_as_documented(cli, page, tmp_path, monkeypatch):
    """Every tokencalc command in README.md and docs/ runs, in order, in one directory (files one command
    writes, the next reads; a TOML block the page shows is saved as the file the next command names):
    exit 0, or, where the page shows the error, exit 2 with one line. A page that sets an environment
    variable runs its commands as a new process would."""
    import os
    import shlex

    if "--plot" in page.read_text():
        pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    env = None
    for command, fails, toml in _documented_commands(page):
        if command.startswith("export "):  # export NAME=$PWD/file.toml: the TOML block shown above, saved there
            name, _, value = command[len("export "):].partition("=")
            path = tmp_path / value.replace("$PWD/", "")
            path.write_text(toml or "")
            env = {**os.environ, name: str(path)}
            continue
        args = shlex.split(command)[1:]
        for arg in args:
            if arg.endswith(".toml") and toml and not (tmp_path / arg).exists() and "--save" not in args:
                (tmp_path / arg).write_text(toml)
        target = args[args.index(">") + 1] if ">" in args else None
        args = args[:args.index(">")] if target else args
        if env is not None:
            done = subprocess.run([sys.executable, "-m", "tokencalc", *args], capture_output=True, text=True,
                                  env=env, cwd=tmp_path)
            code, out, err = done.returncode, done.stdout, done.stderr
        else:
            r = cli(*args)
            code, out, err = r.code, r.out, r.err
        if target:
            (tmp_path / target).write_text(out)
        if fails:
            assert code == 2 and err.count("\n") == 1 and err.startswith("tokencalc: error:"), \
                f"{page.name}: {command}: {code} {err}"
        else:
            assert code == 0, f"{page.name}: {command}: {err}"


_WITH_PYTHON = [p for p in _pages() if "```python" in p.read_text()]


@pytest.mark.parametrize("page", _WITH_PYTHON, ids=[str(p.relative_to(ROOT)) for p in _WITH_PYTHON])
def test_every_python_block_runs(page, tmp_path, monkeypatch):
    """Every ```python block of README.md and docs/ runs, the blocks of a page in order in one namespace (as a
    reader pastes them into one session), with the tokencalc command on the PATH."""
    import os
    import re
    import warnings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S):
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102 - the docs' own examples
