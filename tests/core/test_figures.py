"""Figures: the same SVG bytes every time, with no date and text kept as text."""

from osehw.core.figures import figure, svg_text


def draw() -> str:
    with figure() as (fig, ax):
        ax.plot([0, 1, 2], [3, 1, 2], label="a line")
        ax.set_title("Title text")
        ax.legend()
        return svg_text(fig)


def test_same_bytes_every_time_and_no_date():
    first, second = draw(), draw()
    assert first == second
    assert "<dc:date>" not in first and "Title text" in first  # svg.fonttype none: real text, no glyph paths
    assert first.startswith("<?xml") and first.rstrip().endswith("</svg>")


def test_same_bytes_in_another_process_with_another_hash_seed():
    import os
    import subprocess
    import sys

    code = "from tests.core.test_figures import draw; import sys; sys.stdout.write(draw())"
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                           cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__)))).stdout
    assert other == draw()


def test_figures_off_renders_nothing_inside_and_restores_after():
    from osehw.core.figures import figures_off

    with figures_off():
        assert draw() == ""
    assert draw().startswith("<?xml")
