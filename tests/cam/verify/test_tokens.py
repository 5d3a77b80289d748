"""The verifier's word reader: the same words as pygcode (a second, independent parser) on real programs,
and the edge cases of RS274/NGC blocks (NIST RS274NGC v3 §3.3; LinuxCNC 2.9 "G-code overview")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pygcode import Line

from osehw.cam.verify.tokens import TokenError, block_words
from tests.cam.verify.test_program import codes, program, run

CORPUS = Path(__file__).resolve().parents[2] / "data" / "real" / "gcode"
# pygcode refuses a '+' sign, which RS274/NGC allows (NIST RS274NGC v3 §3.3.2.1): it is given the number without it
_PLUS = re.compile(r"\([^)]*\)|;.*|([A-Za-z])[ \t]*\+")


def _pygcode(line: str) -> list[tuple[str, object]] | None:
    try:
        words = Line(_PLUS.sub(lambda m: m.group(0) if m.group(1) is None else m.group(1), line)).block.words
    except Exception:  # noqa: BLE001 - any refusal counts as one
        return None
    return [(w.letter.upper(), w.value.strip() if isinstance(w.value, str) else w.value) for w in words]


def _ours(line: str) -> list[tuple[str, object]] | None:
    try:
        return block_words(line)
    except TokenError:
        return None


def test_every_word_of_the_corpus_and_of_our_programs_is_pygcodes() -> None:
    texts = [p.read_text(errors="replace") for p in sorted(CORPUS.iterdir())] + [program("grbl"), program("linuxcnc")]
    lines = [line for text in texts for line in text.splitlines()]
    assert len(lines) > 40_000
    ours = [_ours(line) for line in lines]
    differ = [(line, a, b) for line, a, b in zip(lines, ours, map(_pygcode, lines)) if a != b]
    assert differ == []
    # mostly a comparison of words, not of refusals (lines with parameters #… or [expressions] are refused
    # here: the verifier evaluates them first, cam/verify/expressions.py)
    assert sum(bool(a) for a in ours) > 30_000


@pytest.mark.parametrize("line, words", [
    ("G1 X10.5 Y-3 F1200", [("G", 1.0), ("X", 10.5), ("Y", -3.0), ("F", 1200.0)]),
    ("g1x10.5y-.5", [("G", 1.0), ("X", 10.5), ("Y", -0.5)]),  # lower case, no spaces
    ("G0 X 10 Y\t2", [("G", 0.0), ("X", 10.0), ("Y", 2.0)]),  # a space between letter and number
    ("N0120 G01 Z+2.1 (plunge; slowly) ; then cut", [("N", 120), ("G", 1.0), ("Z", 2.1)]),
    ("(only a comment)", []),
    ("; only a comment", []),
    ("%", []),
    ("G0 X1 % the rest is the delimiter's", [("G", 0.0), ("X", 1.0)]),
    ("(50% feed) G1 X2", [("G", 1.0), ("X", 2.0)]),
    ("T01 M6", [("T", "01"), ("M", 6.0)]),
    ("N50T1.000000M6", [("N", 50), ("T", "1"), ("M", 6.0)]),  # a parameter written back as a real
    ("G38.2 Z-5 F100", [("G", 38.2), ("Z", -5.0), ("F", 100.0)]),
    ("G1 X1e3", [("G", 1.0), ("X", 1.0), ("E", 3.0)]),  # E is a word (GRBL then refuses it)
    ("G80 G0 X1", [("G", 80.0), ("G", 0.0), ("X", 1.0)]),
    ("O100 sub", [("O", "100 sub")]),
])
def test_words_of_a_block(line: str, words: list) -> None:
    assert block_words(line) == words
    if line not in PYGCODE_MISREADS:
        assert _pygcode(line) == words
    else:
        assert _pygcode(line) is None


# pygcode takes the first ';' as the comment's start even inside parentheses, and the first '%' as the
# end of the block even inside a comment: LinuxCNC reads both lines as we do
PYGCODE_MISREADS = {"N0120 G01 Z+2.1 (plunge; slowly) ; then cut", "(50% feed) G1 X2"}


@pytest.mark.parametrize("line, why", [
    ("G1 X1 0", "'0' is not a word"),  # a space inside a number
    ("G1 X- 1", "'X' has no valid number"),
    ("G1 X50 F", "'F' has no valid number"),
    ("G1 X1.2.3", "'.3' after X1.2 is not a word"),
    ("$H", "'$H' is not a word"),
    ("G1 X50 Y$$", "'Y' has no valid number"),
    ("G1 X1 (no end", "unclosed comment"),
    ("G1 X1 X2", "two X words"),
    ("X1 X2", "two X words"),
    ("G0 G1 X1", "G0 and G1 in one block: both of modal group 'motion'"),
    ("G90 G91", "modal group 'distance'"),
    ("M3 M5", "modal group 'spindle'"),
    ("G4 G4 P1", "G4 twice"),
    ("S100 S200", "two S words"),
    ("G1.23 X1", "'G' has no valid number"),  # a code has at most one decimal
    ("G-1", "'G' has no valid number"),
    ("N-5 G0", "'N' has no valid number"),
])
def test_what_is_not_a_block_says_why(line: str, why: str) -> None:
    with pytest.raises(TokenError, match=re.escape(why)):
        block_words(line)


@pytest.mark.parametrize("old, new, code", [
    ("G1 Z-6.300 F600", "G1 Z-6.3 00 F600", "GCODE_PARSE"),  # a space inside a number
    ("G1 Z-6.300 F600", "G1 Z-6.300 F", "GCODE_PARSE"),
    ("G1 Z-6.300 F600", "G1 Z-6.300 F600 Q1", "GCODE_DIALECT"),  # Q is not a GRBL word
    ("G1 Z-6.300 F600", "G1 Z-6.300 F600 (feed", "GCODE_PARSE"),
    ("G1 Z-6.300 F600", "G1 Z-6.300 G0 F600", "GCODE_PARSE"),
])
def test_unreadable_lines_are_named_findings(old: str, new: str, code: str) -> None:
    text = program()
    assert old in text
    report = run(text.replace(old, new, 1))
    assert code in codes(report)
    line = next(f for f in report.findings if f.code == code).message
    assert line.startswith("line 6:")


def test_case_spacing_comments_and_line_numbers_do_not_change_the_result() -> None:
    plain = run(program())
    dressed = "\n".join(f"n{10 * k} {line.lower().replace(' ', '')} ; {k}" if line and not line.startswith("(")
                        else line for k, line in enumerate(program().splitlines(), start=1)) + "\n%\n"
    other = run(dressed)
    assert other.ok and plain.ok
    assert other.cut_length == pytest.approx(plain.cut_length, rel=1e-12)
    assert other.estimated_time_s == pytest.approx(plain.estimated_time_s, rel=1e-12)
