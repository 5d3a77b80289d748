"""CadQuery imported without loading VTK until something of VTK's is used.

CadQuery imports VTK (through ``OCP.IVtkOCC`` and ``vtkmodules``) at its own import, for its viewer and
its VTK/glTF exports; osehw uses neither, and loading VTK's Python modules costs about 0.5 s of every
command that models or reads a solid (measured: ``import cadquery`` 2.1-2.6 s with, 1.3-1.8 s without, on
this project's 2-core machine). :func:`install`, called when osehw is imported, arranges that while
CadQuery is being imported, ``vtk``, ``vtkmodules.*`` and OCP's VTK bridges (``OCP.IVtkOCC`` …) are
stand-ins: each name CadQuery takes from them
is a stand-in class that imports the real VTK module the first time it is called, subclassed, asked
for an attribute or used in ``isinstance`` — so ``Shape.toVtkPolyData()`` and the rest still work,
later. Once CadQuery is imported the stand-in modules are dropped, and any later ``import vtk`` is
the real one. If VTK was imported before CadQuery, nothing is stood in for.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
import types
from typing import Any

_STANDINS: dict[str, types.ModuleType] = {}  # stand-in modules made while CadQuery imports
_MISSING = object()
_ENABLED = True  # False once anything of VTK's was really needed, or with OSEHW_LAZY_VTK=0
_SHADOWED: dict[str, Any] = {}  # what a stand-in's parent package held under its name before
# OCP's VTK bridges import all of VTK first (their __init__), and hand VTK objects to Python only once
# VTK's own Python modules are loaded: they are stood in for too, so that using them loads VTK first
_OCP_BRIDGES = ("OCP.IVtkOCC", "OCP.IVtkVTK", "OCP.IVtkTools", "OCP.IVtk")


def _is_vtk(name: str) -> bool:
    return (name in ("vtk", "vtkmodules") or name.startswith(("vtk.", "vtkmodules."))
            or name in _OCP_BRIDGES)


def _drop_standins() -> None:
    """Forget the stand-in modules, so that the next import of any of them is the real one; their
    parent packages get back what they held under those names."""
    for name, module in list(_STANDINS.items()):
        if sys.modules.get(name) is module:
            del sys.modules[name]
        parent, _, child = name.rpartition(".")
        holder = sys.modules.get(parent) if parent else None
        if holder is not None and getattr(holder, child, None) is module:
            before = _SHADOWED.get(name, _MISSING)
            if before is _MISSING:
                delattr(holder, child)
            else:
                setattr(holder, child, before)
    _STANDINS.clear()
    _SHADOWED.clear()


def _real(module: str, attr: str) -> Any:
    # from now on every VTK import is the real one, even if CadQuery is still being imported (a newer
    # CadQuery that uses VTK at its import then gets real VTK instead of a stand-in of a stand-in)
    global _ENABLED
    _ENABLED = False
    _drop_standins()
    return getattr(importlib.import_module(module), attr)


class _Deferred(type):
    """The metaclass of a stand-in class: everything but its name is the real class's, fetched on use."""

    def _target(cls) -> Any:
        real = cls.__dict__.get("_real_class")
        if real is None:
            real = _real(cls.__dict__["_module"], cls.__dict__["_attr"])
            type.__setattr__(cls, "_real_class", real)
        return real

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._target()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):  # typing and dispatch libraries probe these: no reason to load VTK
            raise AttributeError(name)
        return getattr(cls._target(), name)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls._target())

    def __subclasscheck__(cls, sub: Any) -> bool:
        return issubclass(sub, cls._target())

    def __mro_entries__(cls, bases: tuple) -> tuple:
        return (cls._target(),)


class _StandInModule(types.ModuleType):
    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Deferred(attr, (), {"_module": self.__name__, "_attr": attr})


class _Finder:  # a meta path finder and loader by protocol (importlib.abc's import costs ~17 ms a start)
    """On the sys.meta_path: while CadQuery is imported, VTK's modules are stand-ins; CadQuery's own
    import is the real one, run through :meth:`exec_module` to know when it has finished."""

    def __init__(self) -> None:
        self.importing_cadquery = False
        self.cadquery_spec: importlib.machinery.ModuleSpec | None = None

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if not _ENABLED:
            return None
        if self.importing_cadquery and _is_vtk(name):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        if name == "cadquery" and not self.importing_cadquery and not any(_is_vtk(m) for m in sys.modules):
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return None
            self.cadquery_spec = spec
            return importlib.machinery.ModuleSpec(name, self, origin=spec.origin, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        if _is_vtk(spec.name):
            module = _StandInModule(spec.name)
            module.__path__ = []
            _STANDINS[spec.name] = module
            parent, _, child = spec.name.rpartition(".")
            if parent in sys.modules:
                _SHADOWED[spec.name] = getattr(sys.modules[parent], child, _MISSING)
            return module
        return self.cadquery_spec.loader.create_module(self.cadquery_spec)  # type: ignore[union-attr]

    def exec_module(self, module: types.ModuleType) -> None:
        if _is_vtk(module.__name__):
            return
        real = self.cadquery_spec
        assert real is not None and real.loader is not None
        # the package's own attributes as its real spec gives them (its folder, for its submodules)
        module.__spec__, module.__loader__ = real, real.loader
        module.__path__ = list(real.submodule_search_locations or [])
        module.__file__ = real.origin
        self.importing_cadquery = True
        try:
            real.loader.exec_module(module)
        finally:
            self.importing_cadquery = False
            sys.meta_path.remove(self)  # CadQuery is imported once: nothing more to do here
            _drop_standins()


def install() -> None:
    """Stand VTK in while CadQuery is imported, unless CadQuery or VTK is imported already, or the
    environment says ``OSEHW_LAZY_VTK=0`` (the way out, should a CadQuery release defeat the stand-ins)."""
    if os.environ.get("OSEHW_LAZY_VTK", "1") == "0" or "cadquery" in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
