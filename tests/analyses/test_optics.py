"""The optics analysis: the as-cut rib edge read back from the router's program (its sign by a known
shift of the rib), the intercept finding against the design's minimum, and its figures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from osehw.analyses import Inputs
from osehw.analyses.optics import optics, rib_edge_as_cut
from osehw.designs.concentrator import ConcentratorParams, build
from osehw.physics.raytrace import trace

# a small trough (two 400 mm ribs) so that CAM on one machine stays quick
SMALL = dict(aperture=400.0, rim_angle=90.0, length=600.0, rib_depth=100.0, spine_profile="tube-6061-25.4x3.175",
             receiver_od=25.4)


@pytest.fixture(scope="module")
def small():
    from osehw.cam.job import CamJob

    design = build(ConcentratorParams(**SMALL))
    return design, CamJob(machines=["grbl-hobby-800"]).run(design)


def test_cut_edge_deviation_is_within_the_cam_tolerance_and_signed_towards_the_focus(small):
    from osehw.cam.ops.arcfit import PATH_FIT_TOLERANCE
    from osehw.cam.verify.sweep import CHORD_TOLERANCE

    design, cam = small
    x, dev, where = rib_edge_as_cut(cam, design.trough)
    assert "grbl-hobby-800" in where and len(x) == len(dev) == 801
    # the arc fit (0.005) + the sweep's chords (0.002) + the spline (< 0.001) + 3-decimal G-code (0.001)
    assert np.max(np.abs(dev)) <= PATH_FIT_TOLERANCE + CHORD_TOLERANCE + 0.002
    # tell the read-back that the rib lies 0.5 mm lower on the sheet than it does: the cut edge then stands
    # 0.5 mm above the curve it is compared with, 0.5·cos(φ/2) along the normal, tan(φ/2) = x/(2f)
    nest_key = next(iter(cam.nestings))
    nest = cam.nestings[nest_key]
    moved = [dataclasses.replace(p, y=p.y - 0.5) for p in nest.placements]
    shifted = dataclasses.replace(cam, nestings={nest_key: dataclasses.replace(nest, placements=moved)})
    _, dev_shifted, _ = rib_edge_as_cut(shifted, design.trough)
    expected = 0.5 * np.cos(np.arctan(x / (2 * design.trough.focal_length)))
    inner = np.abs(x) < 0.48 * SMALL["aperture"]  # off the rims' corners
    assert dev_shifted[inner] == pytest.approx(expected[inner] + dev[inner], abs=2e-3)


def test_intercept_finding_against_the_minimum(small):
    design, cam = small
    p = design.trough.params
    result = optics(Inputs(design, cam))
    s = result.summary
    # the same trace by hand (Buie sun, the design's errors, the as-cut deviation)
    x, dev, _ = rib_edge_as_cut(cam, design.trough)
    again = trace(p.aperture, design.trough.focal_length, p.receiver_od, n_rays=s["rays"], seed=s["seed"],
                  sunshape="buie", csr=p.circumsolar_ratio, slope_error_mrad=p.slope_error_mrad,
                  specularity_mrad=p.specularity_mrad, tracking_error_mrad=p.tracking_error_mrad, rib_x=x,
                  rib_deviation=dev)
    assert s["intercept"] == pytest.approx(again.intercept, abs=1e-5)
    assert s["geometric_concentration"] == pytest.approx(400 / (np.pi * 25.4), abs=1e-3)
    assert s["effective_concentration"] == pytest.approx(s["intercept"] * s["geometric_concentration"], abs=2e-3)
    assert [f.code for f in result.findings] == ["OPTICS_OK"] and "as cut" in result.findings[0].message
    # the flux table integrates back to the intercept: Σ LCR·R·Δφ / W = γ
    lcr = np.array([r["local_concentration"] for r in result.tables["flux"]])
    assert lcr.sum() * 12.7 * np.radians(5.0) / 400.0 == pytest.approx(s["intercept"], abs=1e-3)
    assert set(result.figures) == {"flux", "rays"} and result.figures["rays"].count("<path") > 100
    # 45 mrad of slope error (2σ = 90 mrad on the ray) against a tube of ±64 mrad at the rim: fails, named
    trough = dataclasses.replace(design.trough, params=p.model_copy(update={"slope_error_mrad": 45.0}))
    rough = dataclasses.replace(design, trough=trough)
    low = optics(Inputs(rough, None))
    assert low.summary["intercept"] < p.min_intercept
    assert low.findings[0].code == "OPTICS_INTERCEPT_LOW" and low.findings[0].message.startswith("intercept 0.")
    assert "true offset curve" in low.summary["rib_edge"]
    # same inputs, same bytes
    assert optics(Inputs(rough, None)).figures == low.figures
