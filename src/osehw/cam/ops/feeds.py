"""Feeds and speeds for one tool in one material on one machine.

The chipload relation: feed [mm/min] = rpm × flutes × chipload [mm/tooth]
(Onsrud Cutter / Harvey Tool machining guides; the same relation the
profiles cite). The chipload is the middle of the material's published range
for the tool's diameter. When the machine cannot reach that feed, the spindle
is slowed so that each tooth still takes a full chip: a chip thinner than the
published range makes the edge rub instead of cut, which burns the stock and
dulls the tool (Onsrud, "Chipload Charts and Cutting Data").
"""

from __future__ import annotations

from osehw.cam.shop import FeedsAndSpeeds, Machine, Material, Tool
from osehw.core.errors import OsehwError


class FeedsError(OsehwError, ValueError):
    """No usable chipload for this tool in this material."""


def chipload_range(material: Material, diameter: float) -> tuple[float, float]:
    """Published (min, max) chipload [mm/tooth] for a tool ``diameter`` [mm].

    Diameters between two listed ones are interpolated linearly in diameter
    (published charts grow close to linearly between their 1/8, 1/4, 3/8 and
    1/2 in rows). Outside the listed diameters there is no honest value, so
    this raises :class:`FeedsError` listing the diameters the material knows.
    """
    table = sorted(material.chipload.items())
    if not table:
        raise FeedsError(f"material '{material.id}': empty chipload table")
    for d, rng in table:
        if abs(d - diameter) <= 1e-9:
            return float(rng[0]), float(rng[1])
    for (d0, (lo0, hi0)), (d1, (lo1, hi1)) in zip(table, table[1:]):
        if d0 < diameter < d1:
            t = (diameter - d0) / (d1 - d0)
            return lo0 + t * (lo1 - lo0), hi0 + t * (hi1 - hi0)
    listed = ", ".join(f"{d:g}" for d, _ in table)
    raise FeedsError(
        f"material '{material.id}': no chipload for a Ø{diameter:g} mm tool; "
        f"the table lists Ø {listed} mm and is not extrapolated"
    )


def feeds_and_speeds(machine: Machine, tool: Tool, material: Material) -> FeedsAndSpeeds:
    """Spindle speed, feeds, step-down and step-over for ``tool`` in ``material`` on ``machine``.

    Rules, in order:

    1. chipload c = middle of the published range for the tool's diameter;
       rpm = the material's target rpm clamped to the spindle's range.
    2. feed = rpm × flutes × c. If that exceeds the machine's max feed, keep c
       and lower the rpm: feed = max_feed, rpm = max_feed / (flutes × c).
    3. If that rpm is below the spindle's minimum, run at the minimum rpm and
       max feed; the chipload becomes max_feed / (flutes × rpm_min), which is
       lower than c (and possibly below the published range: the note warns).

    plunge = feed × plunge_fraction; stepdown = diameter × max_stepdown_fraction
    (never more than the flute length); stepover = diameter × stepover_fraction.
    Drilling uses ``plunge`` as its axial feed.

    Returns
    -------
    FeedsAndSpeeds with rpm [rpm], feed and plunge [mm/min], chipload
    [mm/tooth], stepdown and stepover [mm], and a plain-English ``note`` saying
    what was changed and why (empty when nothing was).
    """
    if tool.id not in machine.tools:
        raise FeedsError(
            f"machine '{machine.id}': tool '{tool.id}' is not fitted; "
            f"available tools: {', '.join(machine.tools)}"
        )
    c_min, c_max = chipload_range(material, tool.diameter)
    chip = 0.5 * (c_min + c_max)
    notes: list[str] = []

    rpm = min(max(material.target_rpm, machine.spindle_min_rpm), machine.spindle_max_rpm)
    if rpm != material.target_rpm:
        notes.append(
            f"{material.name} prefers {material.target_rpm:.0f} rpm; the spindle runs "
            f"{machine.spindle_min_rpm:.0f}-{machine.spindle_max_rpm:.0f} rpm, so {rpm:.0f} rpm is used."
        )
    feed = rpm * tool.flutes * chip
    if feed > machine.max_feed:
        wanted = feed
        feed = machine.max_feed
        slowed = feed / (tool.flutes * chip)
        if slowed >= machine.spindle_min_rpm:
            notes.append(
                f"The chipload of {chip:.3f} mm/tooth needs {wanted:.0f} mm/min at {rpm:.0f} rpm, "
                f"above this machine's {machine.max_feed:.0f} mm/min; the spindle is slowed to "
                f"{slowed:.0f} rpm to keep the chipload, because a thinner chip rubs instead of "
                f"cutting, which burns the stock and dulls the tool."
            )
            rpm = slowed
        else:
            rpm = machine.spindle_min_rpm
            achieved = feed / (tool.flutes * rpm)
            notes.append(
                f"The chipload of {chip:.3f} mm/tooth needs {wanted:.0f} mm/min, above this "
                f"machine's {machine.max_feed:.0f} mm/min, and slowing the spindle to keep it "
                f"would go below its {machine.spindle_min_rpm:.0f} rpm minimum; the spindle runs "
                f"at {rpm:.0f} rpm and the chipload drops to {achieved:.3f} mm/tooth."
            )
            if achieved < c_min:
                notes.append(
                    f"That is below the published minimum of {c_min:.3f} mm/tooth: expect rubbing, "
                    f"heat, burn marks and a shorter tool life; a single-flute bit or a spindle "
                    f"that runs slower would restore a full chip."
                )
            chip = achieved
    stepdown = min(tool.diameter * material.max_stepdown_fraction, tool.flute_length)
    return FeedsAndSpeeds(
        rpm=rpm,
        feed=feed,
        plunge=feed * material.plunge_fraction,
        chipload=chip,
        stepdown=stepdown,
        stepover=tool.diameter * material.stepover_fraction,
        note=" ".join(notes),
    )
