"""Guards for the fast paths: lazy imports and one vectorized evaluation (no per-element Python).

These tests count things (modules imported, Python calls made) rather than time them, so
machine noise cannot fail them; one timing test keeps a 20x margin.
"""

import gc
import subprocess
import sys
import time

import numpy as np

import tokencalc as tc


def _python_calls(n: int) -> int:
    args = dict(
        facility_power="100 MW",
        electricity_price=np.linspace(40.0, 160.0, n),  # USD/MWh
        pue=np.linspace(1.1, 1.5, n),
        wacc=np.linspace(0.05, 0.15, n),
        utilization=np.linspace(0.4, 0.9, n),
    )
    calls = 0

    def profiler(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    gc.collect()  # a collection inside the profiled call would count the finalizers it runs (__del__ of
    gc.disable()  # objects other tests left, e.g. subprocess.Popen): the count would depend on the test order
    sys.setprofile(profiler)
    try:
        tc.factory(**args)
    finally:
        sys.setprofile(None)
        gc.enable()
    return calls


def test_python_work_does_not_grow_with_n():
    tc.factory(facility_power="100 MW", electricity_price=np.array([50.0, 60.0]))  # warm caches
    _python_calls(10)  # and whatever a first array call sets up (warning registries, caches)
    small, large = _python_calls(10), _python_calls(100_000)
    # per-element Python would add 100,000+ calls; a few dozen may come and go with the interpreter's state
    assert abs(large - small) <= max(50, 0.02 * small), (small, large)


def test_vectorized_is_far_faster_than_a_loop():
    n = 100_000
    tc.factory()
    start = time.perf_counter()
    for i in range(20):
        tc.factory(electricity_price=50 + i)
    per_call = (time.perf_counter() - start) / 20
    start = time.perf_counter()
    tc.factory(electricity_price=np.linspace(40.0, 160.0, n), wacc=np.linspace(0.05, 0.15, n))  # USD/MWh
    vectorized = time.perf_counter() - start
    assert vectorized < n * per_call / 20


def _modules_after(code: str) -> set:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_import_tokencalc_is_lazy():
    modules = _modules_after("import tokencalc")
    assert not {"pint", "numpy", "rich", "click"} & modules


def test_json_output_does_not_import_rich():
    code = (
        "import contextlib, io\n"
        "from tokencalc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['factory', '--json'])\n"
        "    except SystemExit:\n"
        "        pass"
    )
    modules = _modules_after(code)
    assert "pint" in modules
    assert "rich" not in modules
