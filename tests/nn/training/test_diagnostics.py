"""Diagnostics: per-layer gradient norms recorded during fit, dead ReLU fraction, activation statistics."""

import numpy as np
import pytest

import autograd_core as ag
from nn import Module
from nn.layers import Linear, Sequential
from nn.optim import SGD
from nn.training.diagnostics import (
    DeadReLUMonitor,
    GradientNormRecorder,
    activation_stats,
    capture_activations,
    dead_relu_fraction,
    layer_grad_norms,
)
from nn.training.loop import fit


class ReLU(Module):
    """Named like nn's ReLU: diagnostics find ReLU layers by class name (the engine's relu op inside)."""

    def forward(self, x):
        return ag.relu(x)


class Tanh(Module):
    def forward(self, x):
        return ag.tanh(x)


def mse(out, y):
    return ((out - np.asarray(y, dtype=np.float32).reshape(out.shape)) ** 2).mean()


def _mlp(act=ReLU, width=8, depth=3, seed=0):
    layers = [Linear(2, width, seed=seed), act()]
    for i in range(depth - 1):
        layers += [Linear(width, width, seed=seed + i + 1), act()]
    return Sequential(*layers, Linear(width, 1, seed=seed + 99))


def test_layer_grad_norms_match_a_hand_computation():
    model = _mlp()
    x = np.random.default_rng(0).standard_normal((16, 2)).astype(np.float32)
    mse(model(x), np.ones(16)).backward()
    norms = layer_grad_norms(model)
    assert set(norms) == {"0", "2", "4", "6"}
    w, b = model[0].weight.grad, model[0].bias.grad
    assert norms["0"] == pytest.approx(np.sqrt((w.astype(np.float64) ** 2).sum() + (b.astype(np.float64) ** 2).sum()))


def test_gradient_norm_recorder_records_every_step_during_fit():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 2)).astype(np.float32)
    y = (X[:, 0] * X[:, 1] > 0).astype(np.float32)
    model = _mlp()
    rec = GradientNormRecorder()
    every2 = GradientNormRecorder(every=2, weights_only=True)
    fit(
        model,
        mse,
        SGD(model.parameters(), lr=0.05),
        (X, y),
        epochs=3,
        batch_size=16,
        metrics=(),
        callbacks=[rec, every2],
        progress=False,
    )
    assert rec.steps == list(range(12))
    assert all(len(v) == 12 for v in rec.norms.values()) and set(rec.norms) == {"0", "2", "4", "6"}
    assert every2.steps == [0, 2, 4, 6, 8, 10]
    first, last, mean = rec.summary()["0"]
    assert first == rec.norms["0"][0] and last == rec.norms["0"][-1] and mean > 0
    with pytest.raises(ValueError):
        GradientNormRecorder(every=0)


def test_sigmoid_stack_gradients_vanish_towards_the_input():
    class Sigmoid(Module):
        def forward(self, x):
            return ag.sigmoid(x)

    model = _mlp(act=Sigmoid, depth=8)
    x = np.random.default_rng(1).standard_normal((32, 2)).astype(np.float32)
    mse(model(x), np.ones(32)).backward()
    norms = layer_grad_norms(model)
    assert norms["0"] < 0.1 * norms[str(2 * 8)]


def test_dead_relu_fraction():
    model = _mlp(width=4, depth=2)
    x = np.random.default_rng(0).standard_normal((50, 2)).astype(np.float32)
    # kill two units of the first layer: a large negative bias makes them output 0 everywhere
    bias = model[0].bias.data.copy()
    bias[:2] = -100.0
    model[0].bias.data = bias
    res = dead_relu_fraction(model, x)
    assert res["1"] >= 0.5
    assert set(res) == {"1", "3", "total"}
    assert res["total"] == pytest.approx((res["1"] * 4 + res["3"] * 4) / 8)
    # naming the layers that feed F.relu works too
    assert dead_relu_fraction(model, x, modules=["0"])["0"] == res["1"]
    with pytest.raises(ValueError, match="no ReLU"):
        dead_relu_fraction(_mlp(act=Tanh), x)
    with pytest.raises(KeyError, match="no submodules named"):
        dead_relu_fraction(model, x, modules=["nope"])


def test_dead_relu_per_channel_for_feature_maps():
    class Conv(Module):
        def forward(self, x):
            return x

    model = Sequential(Conv(), ReLU())
    x = np.ones((3, 4, 5, 5), dtype=np.float32)
    x[:, 1] = -1.0
    assert dead_relu_fraction(model, x)["1"] == 0.25


def test_activation_stats_and_capture():
    model = _mlp(act=Tanh, width=6, depth=2)
    x = (10 * np.random.default_rng(0).standard_normal((40, 2))).astype(np.float32)
    stats = activation_stats(model, x)
    assert set(stats) == {"0", "1", "2", "3", "4"}
    s = stats["1"]
    assert s["shape"] == (40, 6) and -1 <= s["min"] <= s["mean"] <= s["max"] <= 1
    assert s["saturated_fraction"] > 0.3  # large inputs saturate tanh
    assert stats["0"]["saturated_fraction"] == 0.0 or stats["0"]["max"] <= 1
    outputs, out = capture_activations(model, x, modules=lambda n, m: isinstance(m, Linear))
    assert set(outputs) == {"0", "2", "4"} and out.shape == (40, 1)
    np.testing.assert_allclose(outputs["4"], out)
    # hooks are removed and the mode restored
    assert not model[0]._forward_hooks and model.training


def test_dead_relu_monitor_logs_into_history():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((32, 2)).astype(np.float32)
    y = np.zeros(32, np.float32)
    model = _mlp()
    mon = DeadReLUMonitor(X)
    hist = fit(
        model, mse, SGD(model.parameters(), lr=0.01), (X, y), epochs=2, metrics=(), callbacks=[mon], progress=False
    )
    assert len(hist["dead_relu"]) == 2 and len(mon.fractions["total"]) == 2
