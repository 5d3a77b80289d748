"""Which G-code words each controller dialect accepts, and which the verifier can simulate.

Two separate questions are asked of every word of a program:

1. Does the *controller* know it?  A word outside the dialect's list is an
   error (``GCODE_DIALECT``): the controller would halt with "unsupported
   command" or, worse, ignore it.
2. Can the *verifier* simulate it?  A word the controller knows but that
   changes geometry in ways this verifier does not model (cutter
   compensation, canned cycles, coordinate offsets, machine-coordinate moves,
   inverse-time feed, rotary axes...) is an error too (``GCODE_UNSUPPORTED``):
   osehw never writes them, so a program that has one cannot be proved.

Sources of the lists
--------------------
- GRBL 1.1: "List of Supported G-Codes in Grbl v1.1" (gnea/grbl README.md and
  the header of grbl/gcode.c). M7 and M56 are compile-time options off by
  default, so they are refused; no canned cycles (G81–G89), no cutter
  compensation except G40, no M6, no subroutines (M98/M99, O-words).
  Valid non-command words: F I J K L N P R S T X Y Z.
- LinuxCNC 2.9: "G-Code Quick Reference" and "M-Codes" of the LinuxCNC 2.9
  manual, including canned cycles, cutter compensation, O-word subroutines,
  Fanuc-style M98/M99 and user M-codes M100–M199; axis words A B C U V W,
  and D E H Q words.
- Mach3: the Mach3 G-code manual (MachMotion R0071), including G12/G13
  circular pockets, G15/G16 polar, G31 probe, G41/G42, G50/G51 scaling,
  G68/G69 rotation, canned cycles, M98/M99 and user macros M100–M999.
"""

from __future__ import annotations

from typing import Final


def _codes(*values: float, ranges: tuple[tuple[int, int], ...] = ()) -> frozenset[int]:
    """Codes as integers in tenths (G38.2 → 382) so float noise cannot mismatch."""
    out = {round(v * 10) for v in values}
    for lo, hi in ranges:
        out.update(range(lo * 10, hi * 10 + 1, 10))
    return frozenset(out)


def code_key(value: float) -> int:
    """A G/M number in tenths, the key used by the sets below."""
    return round(float(value) * 10)


def code_name(letter: str, value: float) -> str:
    key = code_key(value)
    return f"{letter}{key // 10}" if key % 10 == 0 else f"{letter}{key / 10:.1f}"


# --- what each controller accepts -------------------------------------------------

GRBL_G: Final = _codes(0, 1, 2, 3, 4, 10, 17, 18, 19, 20, 21, 28, 28.1, 30, 30.1,
                       38.2, 38.3, 38.4, 38.5, 40, 43.1, 49, 53, 54, 55, 56, 57, 58, 59,
                       61, 80, 90, 91, 91.1, 92, 92.1, 93, 94)
GRBL_M: Final = _codes(0, 1, 2, 3, 4, 5, 8, 9, 30)
GRBL_LETTERS: Final = frozenset("GMFIJKLNPRSTXYZ")

LINUXCNC_G: Final = _codes(0, 1, 2, 3, 4, 5, 5.1, 5.2, 5.3, 7, 8, 10, 17, 17.1, 18, 18.1,
                           19, 19.1, 20, 21, 28, 28.1, 30, 30.1, 33, 33.1, 38.2, 38.3,
                           38.4, 38.5, 40, 41, 41.1, 42, 42.1, 43, 43.1, 43.2, 49, 52, 53,
                           54, 55, 56, 57, 58, 59, 59.1, 59.2, 59.3, 61, 61.1, 64, 70, 71,
                           72, 73, 74, 76, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
                           90.1, 91, 91.1, 92, 92.1, 92.2, 92.3, 93, 94, 95, 96, 97, 98, 99)
LINUXCNC_M: Final = _codes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 19, 30, 48, 49, 50, 51, 52, 53,
                           60, 61, 62, 63, 64, 65, 66, 67, 68, 70, 71, 72, 73, 98, 99,
                           ranges=((100, 199),))
LINUXCNC_LETTERS: Final = frozenset("GMABCDEFHIJKLNOPQRSTUVWXYZ")

MACH3_G: Final = _codes(0, 1, 2, 3, 4, 10, 12, 13, 15, 16, 17, 18, 19, 20, 21, 28, 28.1,
                        30, 31, 40, 41, 42, 43, 44, 49, 50, 51, 52, 53, 54, 55, 56, 57,
                        58, 59, 60, 61, 64, 68, 69, 73, 80, 81, 82, 83, 84, 85, 86, 87,
                        88, 89, 90, 90.1, 91, 91.1, 92, 92.1, 92.2, 92.3, 93, 94, 95, 98, 99)
MACH3_M: Final = _codes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 30, 47, 48, 49, 98, 99,
                        ranges=((100, 999),))
MACH3_LETTERS: Final = frozenset("GMABCDFHIJKLNOPQRSTUVWXYZ")

DIALECTS: Final[dict[str, tuple[frozenset[int], frozenset[int], frozenset[str]]]] = {
    "grbl": (GRBL_G, GRBL_M, GRBL_LETTERS),
    "linuxcnc": (LINUXCNC_G, LINUXCNC_M, LINUXCNC_LETTERS),
    "mach3": (MACH3_G, MACH3_M, MACH3_LETTERS),
}

# --- what the verifier simulates ---------------------------------------------------
# Everything else a dialect allows is refused with GCODE_UNSUPPORTED.  G18/G19
# only select a plane (an arc in that plane is refused at the arc); G20 and G91
# are accepted here and refused by the modal check (GCODE_MODES) with a better
# message; G64 is checked for its blending tolerance.
SIMULATED_G: Final = _codes(0, 1, 2, 3, 4, 17, 18, 19, 20, 21, 40, 49, 54, 61, 64, 80,
                            90, 90.1, 91, 91.1, 94)
SIMULATED_M: Final = _codes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 30)
# Words that only carry values for the codes above (P: dwell, G64 tolerance;
# T: tool number, informative; N: line number).
SIMULATED_LETTERS: Final = frozenset("GMFIJKNPRSTXYZ")


def check_word(dialect: str, letter: str, value: float | str) -> str | None:
    """Why ``letter value`` is refused by ``dialect``, or None when the controller knows it.

    Parameters
    ----------
    dialect : "grbl" | "linuxcnc" | "mach3"
    letter : word letter, upper case
    value : word value (floats; L and N ints; O- and T-words strings, see osehw.cam.verify.tokens)
    """
    g_codes, m_codes, letters = DIALECTS[dialect]
    if letter not in letters:
        return f"word letter '{letter}' is not part of the {dialect} dialect"
    if letter == "G" and code_key(float(value)) not in g_codes:
        return f"{code_name('G', float(value))} is not a {dialect} G-code"
    if letter == "M" and code_key(float(value)) not in m_codes:
        return f"{code_name('M', float(value))} is not a {dialect} M-code"
    return None


# Third-party mode follows more (osehw.cam.verify.third_party): G28/G30 returns and G53
# machine moves (the axes they move become unknown, a Z among them counts as a retract),
# G92 (the program frame is redefined where the tool stands), G10 (offsets set: position
# unknown), the work offsets G54–G59.3 (one offset for the whole program, given or
# inferred), tool length offsets G43/G43.1/G49 (Z in the program stays the tool tip),
# cutter compensation G41/G42 (the programmed contour is followed; the sweep is then only
# approximate, which the report says), drilling cycles G73/G81–G83/G85/G86/G89 with
# G98/G99, and the D, H, L, Q words these carry.
THIRD_PARTY_G: Final = SIMULATED_G | _codes(10, 28, 30, 41, 42, 43, 43.1, 53, 55, 56, 57, 58, 59, 59.1, 59.2,
                                             59.3, 73, 81, 82, 83, 85, 86, 89, 92, 92.1, 92.2, 98, 99)
THIRD_PARTY_LETTERS: Final = SIMULATED_LETTERS | frozenset("DHLQ")


def simulated(letter: str, value: float | str, third_party: bool = False) -> bool:
    """Whether the verifier models this word (see module docstring)."""
    if letter not in (THIRD_PARTY_LETTERS if third_party else SIMULATED_LETTERS):
        return False
    if letter == "G":
        return code_key(float(value)) in (THIRD_PARTY_G if third_party else SIMULATED_G)
    if letter == "M":
        return code_key(float(value)) in SIMULATED_M
    return True
