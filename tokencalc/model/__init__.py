"""The model floor: pure, vectorized functions, one per cost line or physical step.

Each function takes and returns pint Quantities (or plain numbers in the unit its docstring
names) that may hold numpy arrays; its docstring gives the equation, the unit of each argument
in brackets and its references (ids of ``catalog/sources.toml`` or publications). Nothing here
reads the catalog, does I/O, or knows about scenarios, studies or presentation.

Modules: :mod:`.site` (IT power, accelerator count, plant capacity, rack power, water),
:mod:`.energy` (energy, electricity, fuel, plant O&M, LCOE), :mod:`.capital` (capital charge,
operations, depreciation), :mod:`.finance` (CRF, NPV, IRR, payback, WACC), :mod:`.tokens`
(tokens per year, cost per token, input/output split), :mod:`.serving` (throughput against
interactivity: kernels summed per decode step), :mod:`.curves` (measured envelopes), :mod:`.decompose` (LMDI factors), :mod:`.cashflow` (yearly project cash
flows), :mod:`.sampling` (probability distributions), :mod:`.claims` (verdicts).
"""
