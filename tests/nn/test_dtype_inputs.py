"""README: a layer computes in its parameters' dtype. Integer and bool inputs are cast too (as Keras
does), so a float32 layer given numpy's int64 returns float32, the same values as for the float input;
indices (Embedding) and class targets (losses) stay integer."""

import numpy as np
import pytest

import nn

LAYERS = {
    "Linear": (lambda: nn.Linear(2, 3), (4, 2)),
    "Bilinear": (lambda: nn.Bilinear(2, 2, 3), (4, 2)),
    "Conv1d": (lambda: nn.Conv1d(1, 2, 3), (1, 1, 5)),
    "Conv2d": (lambda: nn.Conv2d(1, 2, 3), (1, 1, 5, 5)),
    "Conv3d": (lambda: nn.Conv3d(1, 2, 3), (1, 1, 4, 4, 4)),
    "ConvTranspose2d": (lambda: nn.ConvTranspose2d(1, 2, 3), (1, 1, 4, 4)),
    "LayerNorm": (lambda: nn.LayerNorm(2), (4, 2)),
    "GroupNorm": (lambda: nn.GroupNorm(1, 2), (4, 2, 3)),
    "BatchNorm1d": (lambda: nn.BatchNorm1d(2), (4, 2)),
    "BatchNorm1d_noaffine": (lambda: nn.BatchNorm1d(2, affine=False), (4, 2)),
    "PReLU": (lambda: nn.PReLU(), (4, 2)),
}


@pytest.mark.parametrize("kind", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_integer_and_bool_inputs_compute_in_the_parameter_dtype(name, kind):
    make, shape = LAYERS[name]
    nn.manual_seed(0)
    layer = make().eval()
    raw = np.random.default_rng(0).integers(0, 3, size=shape)
    x = (raw > 1) if kind == "bool" else raw.astype(kind)
    args = (x, x) if name == "Bilinear" else (x,)
    out = layer(*args)
    assert out.dtype == np.float32
    want = layer(*(a.astype(np.float32) for a in args))
    np.testing.assert_array_equal(np.asarray(out), np.asarray(want))
    f64 = make().to(np.float64) if hasattr(layer, "to") else None
    if f64 is not None:
        assert f64(*args).dtype == np.float64


def test_indices_and_class_targets_stay_integer():
    emb = nn.Embedding(4, 2)
    np.testing.assert_array_equal(np.asarray(emb(np.array([1, 3]))), np.asarray(emb.weight)[[1, 3]])
    loss = nn.CrossEntropyLoss(weight=np.array([1.0, 2.0, 1.0], np.float32))
    logits = np.zeros((2, 3), np.float32)
    assert loss(logits, np.array([0, 1])).dtype == np.float32
    assert np.isclose(float(loss(logits, np.array([0, 1]))), np.log(3), rtol=1e-6)
    assert nn.NLLLoss(weight=np.ones(3, np.float32))(logits, np.array([2, 0])).dtype == np.float32
