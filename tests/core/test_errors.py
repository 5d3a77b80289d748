"""Every OsehwError subclass, raised inside a command, becomes one 'error:' line and exit 2."""

import importlib
import pkgutil

import pytest
import typer

import osehw
from osehw import cli
from osehw.core.errors import OsehwError, quote_text
from osehw.core.params import ParamError, Problem


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def every_error_class():
    for info in pkgutil.walk_packages(osehw.__path__, "osehw."):
        if info.name != "osehw.__main__":
            importlib.import_module(info.name)
    return sorted(set(all_subclasses(OsehwError)), key=lambda c: c.__qualname__)


def instance(cls):
    if issubclass(cls, ParamError):
        return cls([Problem("d.yaml", "wall_thickness", 3.0, "must be ≥ 6.0 mm")])
    if cls.__name__ == "_TooNarrowEverywhere":  # its message is worded from the pocket when read
        from shapely.geometry import box

        return cls("groove", box(0, 0, 50, 5), 6.35)
    if cls.__name__ == "PartTooLargeError":
        return cls("panel", "panel: 900 x 900 mm part does not fit the usable 763.6 x 763.6 mm")
    return cls(f"{cls.__name__}: something the user can fix")


def test_there_are_many_error_classes_and_all_share_the_base():
    classes = every_error_class()
    assert len(classes) >= 15
    assert {c.__name__ for c in classes} >= {"ParamError", "OutputPathError", "PostError", "FeedsError",
                                             "VerifyError", "NestingError", "UserPartError", "RecognitionError"}


@pytest.mark.parametrize("cls", every_error_class(), ids=lambda c: c.__name__)
def test_each_becomes_one_line_and_exit_2(cls, capsys):
    def command():
        raise instance(cls)

    with pytest.raises(typer.Exit) as exited:
        cli.guarded(command)
    assert exited.value.exit_code == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err


def test_quote_text_cuts_long_values_and_says_how_long():
    assert quote_text("short") == "short"
    cut = quote_text("x" * 5000)
    assert cut.startswith("x" * 80) and "5,000 characters" in cut and len(cut) < 120
