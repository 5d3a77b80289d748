"""A second, independent trough tracer: 3-D rays cast with trimesh on a triangle mesh of the mirror and
a cylinder mesh of the receiver tube — a check of :mod:`osehw.physics.raytrace`, not a replacement.

What differs from the first tracer, on purpose:
- 3-D: the trough is a mesh ``length`` [mm] long (axis along z) and rays come from a 3-D sun cone
  (both angles of a point on the sun's disc), so the 2-D reduction the first tracer rests on is not
  assumed; rays start only over the middle third of the length, so none leaves through the ends;
- the hit point is found by ray casting (``trimesh.ray.ray_triangle``, Möller–Trumbore on the
  triangles an R-tree proposes; needs the ``rtree`` package) rather than taken above the aperture
  point, and the reflecting normal is the hit *triangle's* normal, so the mirror is a faceted parabola
  (``facets`` strips across; each strip's normal is that of the chord, within ±Δφ/2 of the true one);
- the tube is a polygonal cylinder mesh, met or not by a second cast, instead of a circle test.
Slope error turns the facet normal about the trough's axis (normal law, σ [mrad]): the same error
model as the first tracer (Rabl 1985, ch. 5), because the comparison is of the methods, not the models.

trimesh without embree is slow (about 10⁴ rays per second here): keep the ray count modest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from osehw.physics.trough import SUN_HALF_ANGLE_MRAD


@dataclass(frozen=True)
class MeshTraceResult:
    n_rays: int
    n_hits: int
    intercept: float
    intercept_se: float


def mirror_mesh(aperture: float, focal_length: float, length: float, facets: int):
    """The parabolic cylinder y = x²/(4f), |x| ≤ W/2, 0 ≤ z ≤ length, as ``facets`` flat strips (two
    triangles each), wound so that the face normals point up towards the focus."""
    import trimesh

    x = np.linspace(-aperture / 2.0, aperture / 2.0, facets + 1)
    y = x * x / (4.0 * focal_length)
    vertices = np.concatenate([np.column_stack([x, y, np.zeros_like(x)]),
                               np.column_stack([x, y, np.full_like(x, length)])])
    k = np.arange(facets)
    n = facets + 1
    faces = np.concatenate([np.column_stack([k, n + k, k + 1]), np.column_stack([k + 1, n + k, n + k + 1])])
    return trimesh.Trimesh(vertices, faces, process=False)


def tube_mesh(diameter: float, centre: tuple[float, float], length: float, sections: int = 64):
    """The receiver: a closed cylinder mesh along z over ``length`` [mm], centred at (x, y) ``centre``.
    A polygon of ``sections`` sides inscribed in the circle: its flats lie R·(1 − cos(π/sections)) inside
    (0.015 mm for a 25 mm tube at 64 sides, 0.12 % of the radius: the few sides keep the cast quick, since every reflected ray's box spans the whole tube)."""
    import trimesh

    tube = trimesh.creation.cylinder(radius=diameter / 2.0, height=length, sections=sections)
    tube.apply_translation([centre[0], centre[1], length / 2.0])
    return tube


def trace_mesh(aperture: float, focal_length: float, receiver_diameter: float, *, n_rays: int = 20_000,
               seed: int = 0, sun_half_angle_mrad: float = SUN_HALF_ANGLE_MRAD, slope_error_mrad: float = 0.0,
               facets: int = 1200, length: float = 300.0) -> MeshTraceResult:
    """The intercept factor of a trough (aperture W, focal length f, tube diameter d [mm]) under a
    pillbox sun straight down the optical axis, by ray casting on meshes."""
    from trimesh.ray.ray_triangle import RayMeshIntersector

    rng = np.random.default_rng(seed)
    n = int(n_rays)
    f = float(focal_length)
    length = float(length)
    mirror = mirror_mesh(aperture, f, length, facets)
    tube = tube_mesh(receiver_diameter, (0.0, f), length)

    # start 1 mm above the rims' plane (the tube is not in the first cast, so it shades nothing, as in the
    # first tracer), where a ray entering within the aperture stays within it: spill ≤ 1 mm · θs
    top = aperture * aperture / (16.0 * f) + 1.0
    origins = np.column_stack([(rng.random(n) - 0.5) * aperture, np.full(n, top),
                               length * (1.0 + rng.random(n)) / 3.0])
    # a point uniform on the sun's disc: radius √u·θs, azimuth uniform; direction (θx, −1, θz), normalised
    radius = sun_half_angle_mrad * 1e-3 * np.sqrt(rng.random(n))
    azimuth = 2.0 * np.pi * rng.random(n)
    d = np.column_stack([np.tan(radius) * np.cos(azimuth), -np.ones(n), np.tan(radius) * np.sin(azimuth)])
    d /= np.linalg.norm(d, axis=1)[:, None]

    where, ray_idx, tri_idx = RayMeshIntersector(mirror).intersects_location(origins, d, multiple_hits=False)
    normal = mirror.face_normals[tri_idx]
    if slope_error_mrad > 0.0:
        a = rng.normal(0.0, slope_error_mrad * 1e-3, len(ray_idx))
        ca, sa = np.cos(a), np.sin(a)
        normal = np.column_stack([ca * normal[:, 0] - sa * normal[:, 1], sa * normal[:, 0] + ca * normal[:, 1],
                                  normal[:, 2]])
    incoming = d[ray_idx]
    reflected = incoming - 2.0 * np.sum(incoming * normal, axis=1)[:, None] * normal
    start = where + 1e-6 * reflected  # off the mirror's surface
    hit = RayMeshIntersector(tube).intersects_any(start, reflected)
    n_hits = int(np.count_nonzero(hit))
    gamma = n_hits / n
    return MeshTraceResult(n, n_hits, gamma, float(np.sqrt(gamma * (1.0 - gamma) / n)))
