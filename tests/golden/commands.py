"""The commands whose outputs are recorded in tests/golden/ (JSON, CSV and the table text at 100 columns).

Each entry: a short name (the file stem) and the command's arguments. The same arguments run
with ``--json`` (where the command has it) and without (the rendered text). Changing a figure a
command prints means updating these files on purpose, in the same commit:
``TOKENCALC_UPDATE_GOLDEN=1 pytest tests/test_golden.py``.
"""

COMMANDS = {
    # factory
    "factory-default": ["factory", "--gw", "1"],
    "factory-h100": ["factory", "--gw", "1", "--gpu", "h100"],
    "factory-mw-set": ["factory", "--mw", "100", "--set", "pue=1.35", "--set", "electricity_price=120 USD/MWh"],
    "factory-deepseek": ["factory", "--gw", "1", "--model", "deepseek-r1", "--isl", "8192", "--osl", "1024",
                         "--interactivity", "50"],
    "factory-batch": ["factory", "--mw", "50", "--gpu", "b200", "--batch", "32"],
    "factory-gas": ["factory", "--gw", "1", "--power-source", "gas-ccgt"],
    "factory-shock": ["factory", "--gw", "1", "--power-source", "grid-shock-267", "--gpu", "mi355x"],
    "factory-immersion": ["factory", "--mw", "200", "--cooling", "immersion", "--gpu", "gb300-nvl72"],
    "factory-neocloud": ["factory", "--gw", "1", "--scenario", "neocloud"],
    "factory-tps": ["factory", "--mw", "10", "--gpu", "h200", "--set", "tokens_per_second_per_accelerator=2000"],
    "factory-rubin": ["factory", "--gw", "1", "--gpu", "vr200-nvl144"],
    "factory-model-source": ["factory", "--gw", "1", "--gpu", "b200", "--source", "model"],
    # throughput and models
    "throughput-default": ["throughput"],
    "throughput-h200-llama": ["throughput", "--gpu", "h200", "--model", "llama-2-70b", "--isl", "1024", "--osl", "1024"],
    "throughput-mi355x": ["throughput", "--gpu", "mi355x", "--interactivity", "50"],
    "throughput-batch": ["throughput", "--gpu", "h100", "--batch", "16"],
    "throughput-measured": ["throughput", "--measured"],
    "models": ["models"],
    # compare
    "compare-six": ["compare", "h100", "h200", "b200", "gb200-nvl72", "gb300-nvl72", "mi355x"],
    "compare-nosweep": ["compare", "h100", "gb200-nvl72", "--no-sweep", "--gw", "1", "--interactivity", "30"],
    "compare-all": ["compare", "--all", "--interactivity", "200"],
    "compare-baseline": ["compare", "b200", "mi355x", "--baseline", "mi355x", "--model", "deepseek-r1",
                         "--precision", "fp8", "--no-sweep"],
    # power and energy
    "power": ["power"],
    "power-wacc": ["power", "--set", "wacc=0.05"],
    "energy-china": ["energy", "--energy", "china-2024"],
    "energy-tokens": ["energy", "--tokens-per-day", "1e15", "--gpu", "h100"],
    "energy-presets": ["energy", "--presets"],
    # finance
    "cashflow-default": ["cashflow"],
    "cashflow-price": ["cashflow", "--price", "0.06 USD/Mtoken", "--price-decline", "0.3", "--tax-rate", "0.21"],
    "cashflow-debt": ["cashflow", "--mw", "100", "--debt-share", "0.6", "--cost-of-debt", "0.07",
                      "--cost-of-equity", "0.14", "--depreciation", "declining-balance", "--build-period", "2"],
    "cashflow-custom": ["cashflow", "--depreciation", "custom", "--residual-curve", "0.6,0.35,0.2,0.1",
                        "--horizon", "8"],
    "breakeven-market": ["breakeven", "--market-price", "0.05"],
    "breakeven-irr": ["breakeven", "--target-irr", "0.15", "--gpu", "h100"],
    # fleet
    "fleet-h100": ["fleet", "--start", "2023", "--gpu", "h100", "--years", "6", "--price", "2", "--price-decline",
                   "30%", "--model", "llama-3.1-70b", "--interactivity", "30"],
    "fleet-ramp": ["fleet", "--gw", "2", "--halls", "4", "--ramp", "1 GW/yr", "--start", "2025", "--years", "5",
                   "--policy", "life=3", "--price", "0.5"],
    # scenarios, uncertainty
    "scenario-list": ["scenario", "list"],
    "scenario-show": ["scenario", "show", "hyperscaler"],
    "sensitivity": ["sensitivity"],
    "sensitivity-h100": ["sensitivity", "--gpu", "h100", "--power-source", "gas-ccgt"],
    "montecarlo": ["montecarlo", "--samples", "2000", "--seed", "1"],
    # vendor deals
    "deal-amd": ["deal", "amd-openai"],
    "deal-amd-samples": ["deal", "amd-openai", "--share-price", "300", "--samples", "2000", "--seed", "1"],
    "deal-nvidia": ["deal", "nvidia-openai"],
    "deal-compare": ["deal", "--compare", "amd-openai", "nvidia-openai"],
    # claims and catalog
    "claims": ["claims"],
    "claims-one": ["claims", "gw-cost", "hopper-blackwell-10-20x"],
    "parameters": ["parameters"],
    "hardware": ["hardware"],
    "hardware-show": ["hardware", "show", "gb300-nvl72"],
    "hardware-show-h100": ["hardware", "show", "h100"],
    "sources": ["sources"],
}

# Commands printed as they are (no --json variant).
TEXT_ONLY = {
    "scenario-template": ["scenario", "template"],
    "schema-factory": ["schema", "factory"],
    "cashflow-csv": ["cashflow", "--csv", "--horizon", "6"],
    "sensitivity-csv": ["sensitivity", "--csv"],
    "montecarlo-csv": ["montecarlo", "--samples", "20", "--seed", "3", "--csv"],
}

# Failures: stderr and exit status.
ERRORS = {
    "error-unit": ["factory", "--set", "pue=2 kW"],
    "error-gpu": ["factory", "--gpu", "gb200"],
    "error-range": ["factory", "--set", "utilization=1.5"],
    "error-context": ["throughput", "--gpu", "h200", "--model", "llama-2-70b", "--isl", "4000", "--osl", "1000"],
    "error-unreachable": ["throughput", "--interactivity", "500"],
    "error-param": ["factory", "--set", "puee=1.2"],
    "error-fleet-policy": ["fleet", "--policy", "life=0"],
    "error-report-output": ["report", "--gw", "1", "-o", "site.txt"],
    "error-choice": ["throughput", "--precision", "fp3"],
}

# Commands whose answer is a file, not text: covered here by an error line, and their file by their own tests
# (report: tests/test_report.py opens the page in a browser).
FILE_WRITERS = {"report"}
