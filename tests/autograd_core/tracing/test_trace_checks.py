"""What a trace cannot see is caught: checked calls compare a fresh eager recording with the trace,
reading numbers while tracing warns, and gradcheck of a traced function checks the eager one."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import TraceMismatchError, TraceWarning, Value


def test_data_dependent_branch_is_caught_by_the_first_check():
    def f(x):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TraceWarning)
            if x.sum() > 0:
                return x * 2
            return x.exp()

    g = ag.trace(f)
    g(np.array([1.0, 2.0]))
    with pytest.raises(TraceMismatchError, match="another path"):
        g(np.array([-1.0, -2.0]))


def test_numbers_read_while_tracing_warn():
    w = Value(2.0, requires_grad=False)

    def f(x):
        return w * float(x.sum())

    g = ag.trace(f)
    with pytest.warns(TraceWarning, match="float"):
        g(np.array([1.0]))
    with pytest.warns(TraceWarning), pytest.raises(TraceMismatchError, match="differs"):
        g(np.array([5.0]))


def test_values_computed_with_numpy_from_data_are_caught():
    w = Value(np.ones(3), requires_grad=False)

    def f(x):
        scale = np.abs(x.data).max()  # plain numpy on the data: frozen by a trace
        return (w * x / scale).sum()

    g = ag.trace(f)
    g(np.array([1.0, 2.0, 4.0]))
    with pytest.raises(TraceMismatchError, match="froze a value computed outside the ops"):
        g(np.array([1.0, 2.0, 8.0]))


def test_dropout_masks_are_caught():
    drop = nn.Dropout(0.5, seed=0)
    g = ag.trace(lambda x: drop(x).sum())
    x = np.ones(50)
    g(x)
    with pytest.raises(TraceMismatchError, match="random"):
        g(x)


def test_check_every_n_and_never():
    calls = []

    def f(x):
        calls.append(1)
        return x * 2

    every3 = ag.trace(f, check_every=3)
    for _ in range(7):
        every3(np.ones(2))
    # call 1 traces, call 2 is the first check, calls 4 and 7 are the 3rd and 6th replays-or-checks
    assert len(calls) == 4
    calls.clear()
    never = ag.trace(f, check_every=0)
    for _ in range(5):
        never(np.ones(2))
    assert len(calls) == 1
    with pytest.raises(ValueError, match="check_every"):
        ag.trace(f, check_every=-1)


def test_a_checked_call_that_matches_returns_the_eager_result():
    w = Value(np.array([1.0, 2.0]))

    def f(x):
        loss = (w * x).sum()
        loss.backward()
        return loss

    g = ag.trace(f)
    g(np.array([1.0, 1.0]))
    out = g(np.array([2.0, 3.0]))  # checked: run eagerly, so the result is the op's output
    assert out.item() == 8.0 and out._op is not None
    out = g(np.array([2.0, 3.0]))  # replayed: a plain Value
    assert out.item() == 8.0 and out._op is None
    np.testing.assert_array_equal(w.grad, [1.0 + 2.0 + 2.0, 1.0 + 3.0 + 3.0])  # accumulated over the three calls


def test_gradcheck_of_a_traced_function_checks_the_eager_function():
    def f(a, b):
        return (a * b).tanh().sum() + (a / b).exp().mean()

    g = ag.trace(f)
    a, b = np.array([0.3, -0.2, 0.5]), np.array([1.5, 2.0, -1.2])
    with pytest.warns(TraceWarning, match="graph is still alive"):
        assert ag.gradcheck(g, (a, b))
    assert all(p.eager_only for p in g.programs.values())


def test_replayed_gradients_pass_a_finite_difference_check():
    """The grads a replay writes equal central differences of the replayed loss."""
    w = Value(np.array([0.4, -0.7, 1.1]))

    @ag.trace
    def step(x):
        w.grad = None
        loss = ((w * x).tanh() ** 2).sum() + (w * w).mean()
        loss.backward()
        return loss

    x = np.array([1.0, 2.0, -0.5])
    for _ in range(3):
        step(x)
    analytic = w.grad.copy()
    eps, numeric = 1e-6, np.zeros(3)
    base = w.data.copy()
    for i in range(3):
        for sign in (1, -1):
            d = base.copy()
            d[i] += sign * eps
            w.data = d
            numeric[i] += sign * step(x).item() / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)
