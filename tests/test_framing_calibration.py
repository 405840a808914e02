"""Frame scores are calibrated; a frame named by its words needs two of them in the text."""

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


def test_lexicon_density_counts_every_use_per_thousand_words():
    from unspun.framing_calibration import lexicon_density

    economy = "Prices rose and wages fell; the bank said inflation hurt jobs and companies. " * 5
    values = dict(zip(FRAMES, lexicon_density(economy, FRAMES), strict=True))
    # six economic words in each 13-word sentence (prices, wages, bank, inflation, jobs, companies)
    assert values["Economic"] > values["Security_and_defense"] == 0.0
    assert lexicon_density("", FRAMES) == [0.0] * len(FRAMES)


def test_the_shipped_calibration_reads_the_lexicon_density_per_frame():
    """An article full of prices and jobs reads as economic, whatever the head learnt of SemEval's
    politics; the calibration needs the text for it."""
    import pytest

    calibration = get_frame_calibration()
    assert calibration.density is not None and calibration.density.shape == (len(FRAMES),)
    economic = FRAMES.index("Economic")
    assert calibration.density[economic] > 0
    scores, words = np.full(len(FRAMES), 0.2), np.full(len(FRAMES), 0.2)
    economy = "Prices rose and wages fell; the bank said inflation hurt jobs and companies. " * 5
    dense = calibration.probabilities(scores, words, economy)
    sparse = calibration.probabilities(scores, words, TELESCOPE)
    assert dense[economic] > sparse[economic]
    with pytest.raises(ValueError, match="pass text"):
        calibration.probabilities(scores, words)


def test_a_density_of_the_wrong_shape_is_refused(tmp_path):
    import json

    import pytest

    from unspun.errors import ModelError
    from unspun.modelstore import model_dir, sha256_file

    source = model_dir("framing")
    spec = json.loads((source / "framing.json").read_text(encoding="utf-8"))
    spec["platt"]["density"] = [0.1, 0.2]
    (tmp_path / "framing.json").write_text(json.dumps(spec), encoding="utf-8")
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["framing.json"] = sha256_file(tmp_path / "framing.json")
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="inconsistent shapes"):
        FrameCalibration(str(tmp_path))


def test_a_support_frame_needs_two_of_its_words():
    """Since session 23 one word of a frame's lexicon is not support enough: a game review with an
    "attack" button gets no "Security and defense", however likely the head finds it; with a
    second word ("weapons") the frame is shown."""
    calibration = get_frame_calibration()
    assert calibration.min_support == 2
    high = np.full(len(FRAMES), 0.99)
    one = "The new racing game lets you attack the final corner at full speed."
    two = one + " Its weapons are rockets."
    k = FRAMES.index("Security_and_defense")
    assert not calibration.shown(one, high)[k]
    assert calibration.shown(two, high)[k]
