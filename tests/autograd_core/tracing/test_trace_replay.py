"""ag.trace: replayed steps are bit-identical to eager ones (MLP, CNN, micrograd-style scalar net),
signatures retrace, effects and gradient bookkeeping happen on replay as they did while tracing."""

import copy

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core import TraceError, Value


def _train_step(model, opt):
    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def _mlp(rng):
    return nn.Sequential(nn.Linear(12, 16, rng=rng), nn.ReLU(), nn.Linear(16, 8, rng=rng), nn.Tanh(), nn.Linear(8, 3))


def _cnn(rng):
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, rng=rng),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(6 * 2 * 2, 3, rng=rng),
    )


def _same_params(m1, m2):
    for p, q in zip(m1.parameters(), m2.parameters()):
        assert np.array_equal(p.data, q.data)
        assert np.array_equal(p.grad, q.grad)


@pytest.mark.parametrize(
    ("make", "shape", "optim"),
    [
        (_mlp, (5, 12), lambda ps: nn.optim.SGD(ps, lr=0.1, momentum=0.9)),
        (_mlp, (5, 12), lambda ps: nn.optim.Adam(ps, lr=0.01)),
        (_cnn, (4, 1, 8, 8), lambda ps: nn.optim.SGD(ps, lr=0.05)),
    ],
)
def test_replayed_training_is_bit_identical_to_eager(make, shape, optim):
    m_eager = make(np.random.default_rng(0))
    m_traced = copy.deepcopy(m_eager)
    eager = _train_step(m_eager, optim(m_eager.parameters()))
    traced = ag.trace(_train_step(m_traced, optim(m_traced.parameters())))
    rng = np.random.default_rng(1)
    for _ in range(6):
        x = rng.standard_normal(shape).astype(np.float32)
        y = rng.integers(0, 3, shape[0])
        a, b = eager(x, y), traced(x, y)
        assert a.dtype == b.dtype and np.array_equal(a.data, b.data)
    _same_params(m_eager, m_traced)
    assert traced.source.count("\n") > 10 and len(traced.programs) == 1


class Scalar:
    """micrograd's MLP on scalar Values (2-4-1), trained with p.grad = None and p.sub_ as in its demo."""

    def __init__(self, seed):
        rng = np.random.default_rng(seed)
        self.layers = [
            [[Value(rng.uniform(-1, 1)) for _ in range(i + 1)] for _ in range(o)] for i, o in ((2, 4), (4, 1))
        ]

    def params(self):
        return [p for layer in self.layers for neuron in layer for p in neuron]

    def __call__(self, x):
        for k, layer in enumerate(self.layers):
            x = [sum((w * xi for w, xi in zip(n[1:], x)), n[0]) for n in layer]
            x = [v.relu() if k == 0 else v.tanh() for v in x]
        return x[0]

    def step(self, xs, ys, lr=0.1):
        for p in self.params():
            p.grad = None
        loss = sum(((self([xs[i, 0], xs[i, 1]]) - ys[i]) ** 2 for i in range(len(ys))), Value(0.0))
        loss.backward()
        for p in self.params():
            p.sub_(p.grad, alpha=lr)
        return loss


def test_scalar_net_replays_bit_identically_with_new_data():
    eager, traced_net = Scalar(0), Scalar(0)
    traced = ag.trace(traced_net.step)
    rng = np.random.default_rng(2)
    for _ in range(5):
        xs, ys = rng.uniform(-1, 1, (6, 2)), rng.uniform(-1, 1, 6)
        a, b = eager.step(xs, ys), traced(xs, ys)
        assert np.array_equal(a.data, b.data)
    for p, q in zip(eager.params(), traced_net.params()):
        assert np.array_equal(p.data, q.data) and np.array_equal(p.grad, q.grad)
        assert p.data.flags.writeable is False and q.grad.flags.writeable is False


def test_new_shapes_retrace_or_raise():
    rng = np.random.default_rng(0)
    model = _mlp(rng)
    step = ag.trace(_train_step(model, nn.optim.SGD(model.parameters(), lr=0.1)))
    for n in (5, 5, 3, 5, 3):
        step(rng.standard_normal((n, 12)).astype(np.float32), rng.integers(0, 3, n))
    assert len(step.programs) == 2
    strict = ag.trace(lambda x: x * 2, on_new_signature="raise")
    strict(np.ones(3))
    with pytest.raises(TraceError, match="new signature"):
        strict(np.ones(4))
    with pytest.raises(TraceError, match="new signature"):
        strict(np.ones(3, dtype=np.float32))


def test_constants_are_part_of_the_signature():
    calls = []

    def f(x, k):
        calls.append(k)
        return x * k

    g = ag.trace(f, check_every=0)
    a = g(np.arange(3.0), 2.0)
    b = g(np.arange(3.0), 3.0)
    c = g(np.arange(3.0) + 1, 2.0)
    assert calls == [2.0, 3.0]  # the third call replayed the k=2 trace
    np.testing.assert_array_equal(a.data, [0, 2, 4])
    np.testing.assert_array_equal(b.data, [0, 3, 6])
    np.testing.assert_array_equal(c.data, [2, 4, 6])
    with pytest.raises(TraceError, match="hashable"):
        g(np.arange(3.0), {1, 2})


def test_grads_accumulate_on_replay_like_eager_without_zero_grad():
    w_e, w_t = Value(np.array([1.0, -2.0])), Value(np.array([1.0, -2.0]))

    def f(w, x):
        (w * x).tanh().sum().backward()

    traced = ag.trace(lambda x: f(w_t, x))
    for k in range(4):
        x = np.array([0.5, 0.25]) * (k + 1)
        f(w_e, x)
        traced(x)
        assert np.array_equal(w_e.grad, w_t.grad)


def test_value_arguments_receive_their_own_gradients():
    @ag.trace
    def f(w, x):
        loss = ((w * x) ** 2).sum()
        loss.backward()
        return loss

    x = np.array([1.0, 2.0])
    w1, w2 = Value(np.array([3.0, 4.0])), Value(np.array([-1.0, 0.5]))
    f(w1, x)
    f(w2, x)  # checked call
    w3 = Value(np.array([2.0, 2.0]))
    loss = f(w3, x)  # replayed
    np.testing.assert_array_equal(w3.grad, 2 * np.array([2.0, 2.0]) * x * x)
    assert loss.item() == 20.0 and not loss.requires_grad and loss.is_leaf


def test_outputs_keep_their_structure_and_are_plain_values():
    w = Value(np.array([1.0, 2.0]), requires_grad=False)

    @ag.trace
    def f(x):
        y = w * x
        return {"y": y, "parts": (y.sum(), 3), "w": w}

    for k in range(3):
        out = f(np.array([1.0, k]))
        assert set(out) == {"y", "parts", "w"} and out["w"] is w and out["parts"][1] == 3
        np.testing.assert_array_equal(out["y"].data, [1.0, 2.0 * k])
        assert out["parts"][0].item() == 1.0 + 2.0 * k


def test_unused_work_is_dropped_and_big_arrays_are_freed_early():
    w = Value(np.ones((64, 64)))

    @ag.trace
    def f(x):
        _unused = (w * 3.0).exp()
        h = (x @ w).relu()
        loss = (h @ w).sum()
        loss.backward()
        return loss

    f(np.ones((8, 64)))
    assert "exp" not in f.source and "3.0" not in f.source
    assert "del " in f.source


def test_nested_traced_function_is_inlined():
    inner = ag.trace(lambda x: x * 2)
    outer = ag.trace(lambda x: inner(x) + 1)
    for k in range(3):
        np.testing.assert_array_equal(outer(np.array([k, 1.0])).data, [2 * k + 1, 3])
    assert inner.programs == {}


def test_unsupported_inside_a_trace_raise():
    w = Value(np.array([1.0, 2.0]))

    def double(x):
        y = (w * x).sum()
        (g,) = ag.gradients(y, [w], create_graph=True)
        return g

    with pytest.raises(TraceError, match="create_graph"):
        ag.trace(double)(np.ones(2))

    def retained(x):
        h = w * x
        h.retain_grad()
        h.sum().backward()

    with pytest.raises(TraceError, match="retain_grad"):
        ag.trace(retained)(np.ones(2))
    with pytest.raises(TypeError, match="function"):
        ag.trace(3)
    with pytest.raises(ValueError, match="on_new_signature"):
        ag.trace(double, on_new_signature="later")
