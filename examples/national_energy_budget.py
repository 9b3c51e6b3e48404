"""A national energy budget: how many tokens could China's 2024 electricity make, and what does
a quadrillion tokens a day need? Units keep 10,000 TWh = 1e16 Wh unmistakable.

Run: python examples/national_energy_budget.py
"""

from tokencalc.studies.energy import energy_study


def main() -> dict:
    china = energy_study(energy="china-2024")
    print(f"{china.energy_name}: {china.energy:~P} = {china.energy.to('Wh'):.3e~P}")
    print(f"  at {china.result.tokens_per_energy:.3g~P}: {china.tokens:.3e~P}")
    need = energy_study(tokens_per_day="1e15 token/day")
    print(f"1e15 tokens a day need {need.facility_power_needed:.3g~P} of AI factories "
          f"({need.energy_per_year_needed:.3g~P})")
    return {"tokens": china.tokens.m_as("token"), "power_gw": need.facility_power_needed.m_as("GW")}


if __name__ == "__main__":
    main()
