"""Hopper vs Blackwell: the cost-per-token ratio, its factors, and where along interactivity 10-20x holds.

Run: python examples/hopper_vs_blackwell.py
"""

from tokencalc.studies.compare import compare, interactivity_sweep


def main() -> dict:
    c = compare(["h100", "gb200-nvl72"])  # same 1 GW site and default workload
    gb200 = c.systems[1]
    print(f"GB200 NVL72 makes a token {gb200.ratio:.1f}x cheaper than H100 at 90 tok/s per user (DeepSeek-R1)")
    for name, factor in gb200.factors.items():
        print(f"  x {factor:6.3f}  {name}")
    print(f"  (transistors alone: {gb200.transistor_yardstick:.2f}x)")
    sweep = interactivity_sweep(c, levels=[10, 15, 20, 30, 50, 90])
    for level, ratio in zip(sweep.interactivity, sweep.ratio["gb200-nvl72"]):
        print(f"  at {level:4.0f} tok/s per user: {ratio:5.1f}x")
    return {"ratio": gb200.ratio, "sweep": dict(zip(sweep.interactivity.tolist(), sweep.ratio["gb200-nvl72"].tolist()))}


if __name__ == "__main__":
    main()
