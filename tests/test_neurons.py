"""rnnlib.neurons: text features a reader can check, unit activations, correlations."""

import numpy as np
import pytest

from rnnlib.data import CharVocab
from rnnlib.models import SequenceModel
from rnnlib.neurons import FEATURES, best_units, correlations, text_features, unit_activations


def test_text_features_by_hand():
    text = 'a "b(c)" d\n   x[y{z}]\n\n"q'
    f = text_features(text)
    assert tuple(f) == FEATURES
    # after reading each character: the opening quote is inside, the closing one outside
    quote = "".join(str(int(v)) for v in f["inside quotes"])
    assert quote == "00111110000" + "00000000000" + "0" + "11"
    depth = "".join(str(int(v)) for v in f["bracket depth"])
    assert depth == "00001100000" + "00001122100" + "0" + "00"
    assert list(f["position in line"][:11]) == list(range(11))  # "\n" ends column 10
    assert f["position in line"][11] == 0 and f["position in line"][-1] == 1
    indented = "".join(str(int(v)) for v in f["indented line"])
    assert indented == "0" * 11 + "1" * 11 + "0" + "00"


def test_blank_line_closes_an_unmatched_quote_and_brackets():
    f = text_features('"open (\n\nafter')
    assert f["inside quotes"][-1] == 0 and f["bracket depth"][-1] == 0
    assert f["inside quotes"][5] == 1 and f["bracket depth"][6] == 1


def test_correlations_find_a_planted_unit():
    rng = np.random.default_rng(0)
    feats = {"on": (rng.random(500) < 0.3).astype(float), "ramp": np.arange(500.0) % 40}
    acts = {"layer 1 h": rng.standard_normal((500, 6))}
    acts["layer 1 h"][:, 4] = -2.0 * feats["on"] + 0.1 * rng.standard_normal(500)
    acts["layer 1 h"][:, 2] = 0.0  # a dead unit: r = 0, no warning
    r = correlations(feats, acts)
    assert r["on"]["layer 1 h"][2] == 0.0
    on, ramp = best_units(feats, acts)
    assert (on.feature, on.group, on.unit) == ("on", "layer 1 h", 4) and on.r < -0.99
    assert abs(ramp.r) < 0.2  # nothing planted: a weak best, reported as it is
    # r is Pearson's r, as numpy computes it
    expected = np.corrcoef(feats["ramp"], acts["layer 1 h"][:, 0])[0, 1]
    np.testing.assert_allclose(r["ramp"]["layer 1 h"][0], expected, rtol=1e-12)


@pytest.mark.parametrize("cell, groups", [("lstm", 4), ("gru", 2)])
def test_unit_activations_are_the_states_of_one_stream(cell, groups):
    text = "def f(x):\n    return (x + 1)\n" * 5
    vocab = CharVocab(text)
    model = SequenceModel(
        vocab.size, 6, vocab.size, cell, embedding=True, embed_size=4,
        task="many_to_many", loss="cross_entropy", seed=0, num_layers=2,
    )  # fmt: skip
    ids = vocab.encode(text)
    acts = unit_activations(model, ids, chunk=7)  # chunks carry the state
    assert len(acts) == groups and all(a.shape == (len(text), 6) for a in acts.values())
    _, cache = model.forward(ids[None])
    np.testing.assert_allclose(acts["layer 2 h"], cache.layers[1].h[0], rtol=1e-12)
    if cell == "lstm":
        np.testing.assert_allclose(acts["layer 1 c"], cache.layers[0].c[0], rtol=1e-12)
    # five pieces side by side: each is the single reading of its own piece
    side = unit_activations(model, ids, streams=5)
    piece = len(ids) // 5
    np.testing.assert_allclose(
        side["layer 2 h"][piece : 2 * piece],
        unit_activations(model, ids[piece : 2 * piece])["layer 2 h"],
        rtol=1e-12,
    )
    with pytest.raises(ValueError, match="multiple of streams = 7"):
        unit_activations(model, ids, streams=7)  # 145 characters


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="text must be a str"):
        text_features(None)
    with pytest.raises(ValueError, match="at least one character"):
        text_features("")
    with pytest.raises(ValueError, match="embedding=True"):
        unit_activations(SequenceModel(3, 2, 1), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match=r"activations\['g'\]"):
        correlations({"a": np.zeros(5)}, {"g": np.zeros((4, 2))})
    with pytest.raises(FloatingPointError, match="not finite"):
        correlations({"a": np.array([0.0, np.nan])}, {"g": np.zeros((2, 2))})
