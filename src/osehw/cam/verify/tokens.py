"""The words of a G-code block: osehw's own reader, no third-party parser.

A block is read as RS274/NGC describes it (NIST RS274NGC v3 §3.3; the LinuxCNC 2.9
manual, "G-code overview"):

- comments: ``( … )`` and ``;`` to the end of the line, taken left to right (a ``;``
  inside parentheses is part of that comment); an unclosed ``(`` is an error;
- ``%`` outside a comment ends what is read of the line (the program delimiter);
- a word is a letter (either case) and a number; spaces may stand between the
  letter and its number, not inside the number (``X1 0`` is refused rather than
  read as X10, which is how RS274NGC would read it: a program of ours never has it
  and a reader that guesses is no check);
- numbers: ``[+-]digits[.digits]`` for real-valued words; G and M codes are
  unsigned with at most one decimal (``G38.2``); L, N and T are unsigned whole
  numbers (``T1.000`` is T1, as a parameter written back reads); O takes the rest of the block (an O-word is flow control);
- anything else on the line (a stray character, a letter without a number) is an
  error, as it is for GRBL and LinuxCNC;
- a block may not hold two G-codes or two M-codes of one modal group (table of
  modal groups in the LinuxCNC 2.9 manual, "Modal groups", = NIST RS274NGC v3
  §3.4 Table 4), the same code twice, nor a letter other than G and M twice
  (GRBL 1.1 "word repeated", error 25; LinuxCNC "multiple X words on one line").
  G80 may share a block with a motion code ("G80 G0", as written by many CAM
  programs and accepted by LinuxCNC's reader), as G4 (non-modal) may.

The values are what pygcode's ``Line`` gives for the same block (the verifier's
reader before this one; tests/cam/verify/test_tokens.py checks both agree word for
word on a corpus), except where pygcode is laxer than the controllers: it skips
characters it cannot read between words and lets an axis letter repeat outside a
motion block; here both are errors.
"""

from __future__ import annotations

import re

# value of a real-valued word; G/M codes; whole numbers (L, N, T)
_REAL = re.compile(r"[ \t]*([-+]?(?:\d+\.?\d*|\.\d+))")
_CODE = re.compile(r"[ \t]*(\d+(?:\.\d)?)(?![\d.])")
_WHOLE = re.compile(r"[ \t]*(\d+)(?:\.0*)?(?![\d.])")  # "T1.000000": a parameter written back
_LETTER = re.compile(r"[ \t]*([A-Za-z])")
_SPACE = re.compile(r"[ \t\r\f\v]*")
_COMMENT_OR_END = re.compile(r"\([^)]*\)|;.*|%.*|\(")

INT_LETTERS = frozenset("LN")
STR_LETTERS = frozenset("T")

# modal groups (tenths of the code), LinuxCNC 2.9 "Modal groups"; G80 and non-modal codes left out (see above)
_G_GROUPS: dict[int, str] = {}
_M_GROUPS: dict[int, str] = {}
for _name, _codes in {
    "motion": (0, 1, 2, 3, 5, 5.1, 5.2, 33, 33.1, 38.2, 38.3, 38.4, 38.5, 73, 76, 81, 82, 83, 84, 85, 86, 87, 88, 89),
    "plane": (17, 18, 19, 17.1, 18.1, 19.1),
    "distance": (90, 91),
    "arc distance": (90.1, 91.1),
    "feed rate mode": (93, 94, 95),
    "units": (20, 21),
    "cutter compensation": (40, 41, 42, 41.1, 42.1),
    "tool length offset": (43, 43.1, 43.2, 49),
    "canned cycle return": (98, 99),
    "coordinate system": (54, 55, 56, 57, 58, 59, 59.1, 59.2, 59.3),
    "path control": (61, 61.1, 64),
    "spindle speed mode": (96, 97),
    "lathe diameter": (7, 8),
}.items():
    _G_GROUPS.update({round(c * 10): _name for c in _codes})
for _name, _codes in {"stopping": (0, 1, 2, 30, 60), "spindle": (3, 4, 5), "coolant": (7, 8, 9),
                      "override": (48, 49)}.items():
    _M_GROUPS.update({round(c * 10): _name for c in _codes})


class TokenError(ValueError):
    """A block that is not a sequence of words (says what is wrong)."""


def _code(letter: str, key: int) -> str:
    return f"{letter}{key // 10}" if key % 10 == 0 else f"{letter}{key / 10:.1f}"


def code_text(line: str) -> str:
    """The line without comments, cut at a '%' outside them; TokenError for an unclosed '('."""
    out = []
    pos = 0
    for m in _COMMENT_OR_END.finditer(line):
        out.append(line[pos:m.start()])
        s = m.group(0)
        if s == "(":
            raise TokenError("unclosed comment '(' with no ')'")
        pos = m.end()
        if s[0] == "%":
            break
    else:
        out.append(line[pos:])
    return "".join(out)


def block_words(line: str) -> list[tuple[str, float | int | str]]:
    """The words (upper-case letter, value) of one line, in order; TokenError if it is not all words.

    Values: float for real-valued words and G/M codes, int for L and N, str for T
    (a tool number may keep leading zeros) and O (the rest of the block).
    """
    text = code_text(line)
    words: list[tuple[str, float | int | str]] = []
    pos, end = 0, len(text)
    while True:
        pos = _SPACE.match(text, pos).end()
        if pos >= end:
            break
        m = _LETTER.match(text, pos)
        if m is None:
            raise TokenError(f"{text[pos:].strip()!r} is not a word (a letter and its number)")
        letter = m.group(1).upper()
        pos = m.end()
        if letter == "O":
            words.append(("O", " ".join(text[pos:].split())))
            break
        pattern = _CODE if letter in "GM" else _WHOLE if letter in "LNT" else _REAL
        v = pattern.match(text, pos)
        if v is None:
            rest = text[pos:].strip()
            raise TokenError(f"word '{letter}' has no valid number" + (f" ({rest[:20]!r})" if rest else ""))
        raw = v.group(1)
        words.append((letter, raw if letter in STR_LETTERS else int(raw) if letter in INT_LETTERS else float(raw)))
        pos = v.end()
        nxt = _SPACE.match(text, pos).end()
        if nxt < end and nxt == pos and not text[pos].isalpha():
            raise TokenError(f"{text[pos:].strip()!r} after {letter}{raw} is not a word")
    _check_block(words)
    return words


def _check_block(words: list[tuple[str, float | int | str]]) -> None:
    """Repeated letters and modal-group conflicts (see the module docstring)."""
    if len(words) < 2:
        return
    seen: dict[str, object] = {}
    groups: dict[str, str] = {}
    for letter, value in words:
        if letter in "GM":
            key = round(float(value) * 10)  # type: ignore[arg-type]
            name = _code(letter, key)
            if name in seen:
                raise TokenError(f"{name} twice in one block")
            seen[name] = True
            group = (_G_GROUPS if letter == "G" else _M_GROUPS).get(key)
            if group is not None:
                tag = f"{letter} {group}"
                if tag in groups:
                    raise TokenError(f"{groups[tag]} and {name} in one block: both of modal group '{group}'")
                groups[tag] = name
        elif letter in seen:
            raise TokenError(f"two {letter} words in one block ({letter}{seen[letter]} and {letter}{value})")
        else:
            seen[letter] = value
