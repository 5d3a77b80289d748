"""The energy to make aluminium by each route the seed's due diligence asks about, and the PV it would take.

Pure functions; energies in kWh per kg of aluminium [kWh/kg], masses in kg.

Sources and figures (each where it is used below):
- Electrolysis (Hall–Héroult), Faraday's law: Q = 3F/M per kg of Al (F = 96,485 C/mol, M = 26.98 g/mol), energy
  = Q·U / current efficiency; industrial cells run at U ≈ 4.0–4.3 V and 93–96 % current efficiency
  (Grjotheim & Kvande, *Introduction to Aluminium Electrolysis*, 2nd ed., Aluminium-Verlag 1993, ch. 1 and 13).
- Industrial smelting electricity 13–15 kWh/kg AC (GDA aluminium encyclopaedia, "Power generation", read
  2026-11); the International Aluminium Institute's statistic "Primary aluminium smelting energy intensity"
  reports the world AC average yearly (about 14 MWh/t in the 2020s, as recalled: confirm there).
- Alumina per aluminium: 2 Al per Al2O3, 101.96 / (2 · 26.98) = 1.889 kg/kg by stoichiometry; smelters use
  about 1.92–1.93 (IAI life-cycle inventory, as recalled: an estimate).
- Bayer refining of bauxite: about 12 GJ per tonne of alumina, world average (IAI statistic "Metallurgical
  alumina refining energy intensity", as recalled: an estimate).
- Alumina from kaolin by HCl leaching (the US Bureau of Mines clay–HCl process: RI 8759, 1983; RI 9544, 1995):
  the calcination of aluminium chloride hexahydrate, 2 AlCl3·6H2O → Al2O3 + 6 HCl + 9 H2O, alone takes the
  reaction enthalpy computed here from standard enthalpies of formation (NBS Tables of Chemical Thermodynamic
  Properties, 1982: AlCl3·6H2O −2691.6, Al2O3 −1675.7, HCl(g) −92.31, H2O(g) −241.82 kJ/mol) — a floor no
  plant beats; the range used, 20–45 GJ per tonne of alumina, is this module's estimate (two to four times
  that floor for leaching, evaporation and HCl recovery at practical efficiencies); no measured figure is in hand.
- Remelting scrap: about 5 % of the energy of primary metal (IAI; Norgate, Jahanshahi & Rankin, "Assessing the
  environmental impact of metal production processes", J. Cleaner Production 15 (2007) 838–848, give primary
  aluminium's gross energy as 211 MJ/kg) → 10.6 MJ/kg = 2.9 kWh/kg. Its floor: heating Al from 25 °C to 700 °C
  and melting it, from NIST-JANAF enthalpies (Al(cr) H(933.47 K) − H(298.15 K) = 17.9 kJ/mol, fusion
  10.71 kJ/mol, liquid Cp 31.75 J/mol·K).
"""

from __future__ import annotations

FARADAY = 96_485.33  # C/mol
M_AL = 26.982  # g/mol
M_AL2O3 = 101.961  # g/mol
J_PER_KWH = 3.6e6

SMELTING_KWH_PER_KG = (13.0, 14.0, 15.0)  # low, central, high: GDA encyclopaedia, IAI world average
ALUMINA_PER_AL = 1.93  # kg alumina per kg Al (IAI, estimate)
BAYER_GJ_PER_T_ALUMINA = 12.0  # IAI world average (as recalled, estimate)
CLAY_HCL_GJ_PER_T_ALUMINA = (20.0, 45.0)  # estimate: see the module docstring
PRIMARY_GROSS_MJ_PER_KG = 211.0  # Norgate et al. 2007
REMELT_SHARE = 0.05  # of primary (IAI; Norgate et al. 2007)

# NBS 1982 standard enthalpies of formation [kJ/mol]
DHF_ACH = -2691.6
DHF_AL2O3 = -1675.7
DHF_HCL_G = -92.31
DHF_H2O_G = -241.82


def faraday_kwh_per_kg(cell_voltage: float, current_efficiency: float) -> float:
    """DC energy to win 1 kg of Al at a cell voltage [V] and current efficiency (Faraday's law)."""
    charge = 3 * FARADAY / (M_AL / 1000.0)  # C per kg
    return charge * cell_voltage / current_efficiency / J_PER_KWH


def stoichiometric_alumina_per_al() -> float:
    return M_AL2O3 / (2 * M_AL)


def ach_calcination_gj_per_t_alumina() -> float:
    """Reaction enthalpy of 2 AlCl3·6H2O → Al2O3 + 6 HCl(g) + 9 H2O(g) per tonne of alumina [GJ/t] (Hess's law
    on the NBS enthalpies of formation): the floor of the clay–HCl route's energy."""
    dh = DHF_AL2O3 + 6 * DHF_HCL_G + 9 * DHF_H2O_G - 2 * DHF_ACH  # kJ per mol Al2O3
    return dh / M_AL2O3  # kJ/g = GJ/t


def gj_per_t_alumina_to_kwh_per_kg_al(gj_per_t: float, alumina_per_al: float = ALUMINA_PER_AL) -> float:
    return gj_per_t * alumina_per_al * 1e6 / J_PER_KWH  # GJ/t = MJ/kg alumina


def remelt_kwh_per_kg() -> float:
    return REMELT_SHARE * PRIMARY_GROSS_MJ_PER_KG * 1e6 / J_PER_KWH


def melting_floor_kwh_per_kg(pour_c: float = 700.0) -> float:
    """Heat to take Al from 25 °C to ``pour_c`` (above its 660 °C melting point) as liquid (NIST-JANAF)."""
    h_solid = 17.9e3  # J/mol, H(933.47 K) − H(298.15 K)
    fusion = 10.71e3  # J/mol
    liquid = 31.75 * (pour_c + 273.15 - 933.47)  # J/mol
    return (h_solid + fusion + liquid) / (M_AL / 1000.0) / J_PER_KWH


def routes_kwh_per_kg() -> dict[str, tuple[float, float, float]]:
    """(low, central, high) energy per kg of metal for each route [kWh/kg]: electricity for the cells plus the
    alumina's (mostly heat) energy, or the remelt furnace's."""
    s_lo, s_mid, s_hi = SMELTING_KWH_PER_KG
    bayer = gj_per_t_alumina_to_kwh_per_kg_al(BAYER_GJ_PER_T_ALUMINA)
    clay_lo, clay_hi = (gj_per_t_alumina_to_kwh_per_kg_al(g) for g in CLAY_HCL_GJ_PER_T_ALUMINA)
    remelt = remelt_kwh_per_kg()
    return {"smelting only (Hall–Héroult cells)": (s_lo, s_mid, s_hi),
            "primary from bauxite (Bayer + Hall–Héroult)": (s_lo + bayer, s_mid + bayer, s_hi + bayer),
            "primary from kaolin (clay–HCl + Hall–Héroult)": (s_lo + clay_lo, s_mid + (clay_lo + clay_hi) / 2,
                                                              s_hi + clay_hi),
            "remelting scrap": (melting_floor_kwh_per_kg(), remelt, remelt)}


def pv_kwp(energy_kwh: float, years: float, yield_kwh_per_kwp_year: float) -> float:
    """PV [kWp] that yields ``energy_kwh`` over ``years`` at a yearly specific yield (no storage losses)."""
    return energy_kwh / (years * yield_kwh_per_kwp_year)
