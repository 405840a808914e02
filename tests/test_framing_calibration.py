"""Frame scores are calibrated; a frame named by its words needs one of them in the text."""

from __future__ import annotations

import numpy as np

from unspun.framing_calibration import (
    FrameCalibration,
    get_frame_calibration,
    platt,
    support_counts,
)
from unspun.taxonomy import FRAMES

TELESCOPE = "The new telescope photographed a galaxy cluster; astronomers praised the sharp images."
WAR = "Troops and missiles were moved to the border as the army prepared for an attack."


def test_support_words_are_counted_per_frame():
    counts = dict(zip(FRAMES, support_counts(WAR, FRAMES), strict=True))
    assert counts["Security_and_defense"] >= 4
    assert (
        dict(zip(FRAMES, support_counts(TELESCOPE, FRAMES), strict=True))["Security_and_defense"]
        == 0
    )


def test_an_unsupported_frame_is_not_shown_however_likely():
    calibration = get_frame_calibration()
    assert "Security_and_defense" in calibration.support_frames
    high = np.full(len(FRAMES), 0.99)
    shown = dict(zip(FRAMES, calibration.shown(TELESCOPE, high), strict=True))
    assert not shown["Security_and_defense"]
    assert dict(zip(FRAMES, calibration.shown(WAR, high), strict=True))["Security_and_defense"]
    low = np.full(len(FRAMES), 0.01)
    assert not any(calibration.shown(WAR, low))


def test_platt_is_monotone_and_bounded():
    scores = np.array([0.01, 0.2, 0.5, 0.8, 0.99])
    calibrated = platt(scores, 1.3, -0.4)
    assert np.all(np.diff(calibrated) > 0) and np.all((calibrated > 0) & (calibrated < 1))
    assert np.allclose(platt(scores, 1.0, 0.0), scores, atol=1e-6)


def test_shipped_calibration_loads_with_its_figures():
    calibration = FrameCalibration()
    assert calibration.frames == FRAMES
    assert 0 < calibration.threshold < 1 and calibration.figures["articles"] >= 50
    assert calibration.model_id.startswith("framing@")


def test_a_frame_outside_the_rule_without_its_words_needs_the_higher_probability():
    calibration = get_frame_calibration()
    floor = calibration.unsupported_probability
    assert "Morality" not in calibration.support_frames
    assert calibration.threshold < floor <= 1
    between = np.full(len(FRAMES), (calibration.threshold + floor) / 2)
    above = np.full(len(FRAMES), min(0.99, floor + 0.05))
    morality = FRAMES.index("Morality")
    assert not calibration.shown(TELESCOPE, between)[morality]  # no moral words, middling score
    assert calibration.shown(TELESCOPE, above)[morality]  # sure enough without them
    sermon = "It is our moral duty, and a matter of conscience, to help."
    assert calibration.shown(sermon, between)[morality]  # its words lower the bar to the threshold
