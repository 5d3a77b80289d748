"""osehw: open hardware generator for a peer-to-peer wireless internet.

Parameter files (``designs/*.yaml``) become CadQuery models, fabrication
files (STEP, STL, DXF, G-code), bills of materials and engineering checks.
"""

__version__ = "0.1.0"

from osehw.core import lazy_vtk as _lazy_vtk  # noqa: E402  (before anything imports CadQuery)

_lazy_vtk.install()
