"""The assembly picture: the shading and depth order by hand, and the same bytes every run."""

import io
import struct

import numpy as np
import pytest

from osehw.site import picture


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every PNG chunk (ISO/IEC 15948 §5.3)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    out, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        out.append((png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return out


def cube() -> tuple[np.ndarray, np.ndarray]:
    import trimesh

    mesh = trimesh.creation.box(extents=(100.0, 60.0, 40.0))
    return mesh.vertices, mesh.faces


def test_the_view_is_an_orthonormal_right_handed_frame_looking_down():
    view = picture.view_matrix()
    assert view @ view.T == pytest.approx(np.eye(3), abs=1e-12)
    assert np.linalg.det(view) == pytest.approx(1.0)
    right, up, toward = view
    assert right[2] == pytest.approx(0.0, abs=1e-12)  # the horizon stays level
    assert toward[2] == pytest.approx(np.sin(np.radians(picture.ELEVATION_DEG)))  # 30° above it
    assert up[2] == pytest.approx(np.cos(np.radians(picture.ELEVATION_DEG)))


def test_a_face_is_shaded_by_lamberts_law_on_either_side():
    toward = picture.view_matrix()[2]
    light = picture.LIGHT / np.linalg.norm(picture.LIGHT)
    # one triangle square to the line of sight, wound both ways: its view-space normal is ±z
    right, up = picture.view_matrix()[:2]
    v = np.array([np.zeros(3), right, up]) * 10.0
    for faces in ([[0, 1, 2]], [[0, 2, 1]]):
        _, rgb = picture.shaded_faces(v, np.array(faces))
        hand = picture.AMBIENT + (1 - picture.AMBIENT) * light[2]  # cos θ = n·l with n = (0, 0, 1)
        assert rgb[0] == pytest.approx(hand * picture.BASE_RGB)
    assert toward @ np.cross(right, up) == pytest.approx(1.0)


def test_triangles_are_painted_far_to_near_and_degenerate_ones_dropped():
    toward = picture.view_matrix()[2]
    right, up = picture.view_matrix()[:2]
    tri = np.array([np.zeros(3), right, up])
    near, far = tri + 50 * toward, tri - 50 * toward
    flat = np.array([np.zeros(3), right, 2 * right])  # collinear: no area
    vertices = np.vstack([near, far, flat])
    polys, rgb = picture.shaded_faces(vertices, np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]]))
    assert len(polys) == 2 == len(rgb)
    # both project to the same place; the far one (built second) is painted first
    assert polys[0] == pytest.approx(polys[1])
    order = np.argsort([(near @ toward).mean(), (far @ toward).mean()])
    assert list(order) == [1, 0]


def test_the_png_is_fixed_size_without_a_date_or_software_stamp_and_the_same_every_run():
    v, f = cube()
    png = picture.render_png(v, f)
    assert png == picture.render_png(v, f)
    found = chunks(png)
    width, height = struct.unpack(">II", found[0][1][:8])
    assert (found[0][0], width, height) == (b"IHDR", picture.WIDTH_PX, picture.HEIGHT_PX)
    kinds = {k for k, _ in found}
    assert not kinds & {b"tIME"} and all(b"Software" not in d for k, d in found if k == b"tEXt")


def test_the_picture_shows_the_cube_in_its_shades_and_nothing_else():
    import matplotlib.image

    v, f = cube()
    img = matplotlib.image.imread(io.BytesIO(picture.render_png(v, f)))[:, :, :3]
    white = np.all(img > 0.99, axis=2)
    assert 0.15 < 1 - white.mean() < 0.9  # the box fills a good share of the frame, fitted with a margin
    assert white[0].all() and white[-1].all()  # the margin
    centre = img[img.shape[0] // 2, img.shape[1] // 2]
    # every pixel of the box is the base colour times one shade ≥ the ambient share (blue ≥ red, always)
    ratio = centre / picture.BASE_RGB
    assert ratio == pytest.approx(np.full(3, ratio.mean()), abs=0.02)
    assert picture.AMBIENT - 0.02 <= ratio.mean() <= 1.0
