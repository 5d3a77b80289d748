"""The assembly picture on the download page: model.stl drawn off-screen, flat-shaded, as PNG.

No OpenGL and no display: the triangles are projected orthographically,
sorted far to near and painted in that order (the painter's algorithm,
Foley & van Dam, *Computer Graphics: Principles and Practice*, 2nd ed.,
§15.5), each filled with one shade from Lambert's cosine law against a fixed
light plus an ambient share (same book, §16.1–16.2). matplotlib's Agg
rasteriser fills the polygons; the PNG is saved without the ``Software``
text chunk, so the same mesh gives the same bytes run after run.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

WIDTH_PX = 480
HEIGHT_PX = 360
DPI = 100
# Looking down at the model from the front right, 30° above the horizon (z is up in every design).
AZIMUTH_DEG = -55.0
ELEVATION_DEG = 30.0
LIGHT = np.array([-0.5, 0.5, 1.0])  # in view space: from the upper left, behind the viewer
AMBIENT = 0.35  # share of the colour every face gets, lit or not
BASE_RGB = np.array([0.36, 0.55, 0.75])  # a steel blue
BACKGROUND = "#ffffff"


def view_matrix(azimuth_deg: float = AZIMUTH_DEG, elevation_deg: float = ELEVATION_DEG) -> np.ndarray:
    """Rows: the screen's right, up and towards-viewer axes in model coordinates (an orthonormal basis)."""
    az, el = np.radians(azimuth_deg), np.radians(elevation_deg)
    toward = np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)])  # model → viewer
    right = np.cross([0.0, 0.0, 1.0], toward)
    right /= np.linalg.norm(right)
    up = np.cross(toward, right)
    return np.vstack([right, up, toward])


def shaded_faces(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(triangles in screen coordinates, N×3×2, far to near; their RGB shades, N×3)."""
    view = view_matrix()
    tri = vertices[faces] @ view.T  # N×3×3 in view space: x right, y up, z towards the viewer
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    length = np.linalg.norm(normals, axis=1)
    keep = length > 0  # degenerate triangles have no normal and cover no area
    tri, normals = tri[keep], normals[keep] / length[keep, None]
    light = LIGHT / np.linalg.norm(LIGHT)
    # |n·l|: an STL's winding is not trusted, so both sides of a face are lit alike
    lambert = np.abs(normals @ light)
    shade = np.clip(AMBIENT + (1.0 - AMBIENT) * lambert, 0.0, 1.0)
    order = np.argsort(tri[:, :, 2].mean(axis=1), kind="stable")  # far (small z) first
    return tri[order][:, :, :2], shade[order, None] * BASE_RGB


def render_png(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    """The mesh as PNG bytes, WIDTH_PX × HEIGHT_PX, the model fitted with a margin."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    polys, colours = shaded_faces(np.asarray(vertices, float), np.asarray(faces, int))
    fig = plt.figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor=BACKGROUND)
    try:
        ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
        ax.set_axis_off()
        ax.set_aspect("equal")
        if len(polys):
            # an edge in the face's own colour keeps thin members (a tower's braces) from vanishing
            ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors=colours, linewidths=0.3))
            lo, hi = polys.reshape(-1, 2).min(axis=0), polys.reshape(-1, 2).max(axis=0)
            pad = 0.02 * max(hi - lo)
            ax.set_xlim(lo[0] - pad, hi[0] + pad)
            ax.set_ylim(lo[1] - pad, hi[1] + pad)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, facecolor=BACKGROUND, metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)


def render_stl(path: Path) -> bytes:
    """model.stl → PNG bytes."""
    import trimesh

    mesh = trimesh.load(path, file_type="stl", force="mesh", process=False)
    return render_png(mesh.vertices, mesh.faces)
