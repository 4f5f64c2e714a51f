"""The step-by-step backward: rule text for every op, totals equal to backward(), errors, frames."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Value
from autograd_core.ops.rules import RULES


def test_every_registered_op_has_its_rule_text_one_per_input():
    assert set(RULES) == set(ag.REGISTRY), sorted(set(ag.REGISTRY) ^ set(RULES))
    for name, op in ag.REGISTRY.items():
        if op.vjps:  # variadic ops have one rule for every input
            assert len(RULES[name]) == len(op.vjps), name


def test_totals_equal_backward_with_broadcasting_reuse_and_constants():
    rng = np.random.default_rng(0)
    x, w = Value(rng.normal(size=(4, 3))), Value(rng.normal(size=(3,)))
    h = (x * w + 1.0).tanh()
    loss = (h * h).sum() + (x @ w).mean()
    trace = ag.explain_backward(loss)
    assert x.grad is None and w.grad is None  # nothing written
    loss.backward()
    np.testing.assert_allclose(trace.grad(x), x.grad)
    np.testing.assert_allclose(trace.grad(w), w.grad)  # unbroadcast, like the engine
    assert any(added is None for s in trace.steps for _, _, added in s.inputs)  # the constant 1.0
    assert "‖·‖" in str(trace)  # big gradients as shape and norm


def test_explaining_a_freed_graph_says_when_to_call_it():
    x = Value(2.0)
    y = x * x
    y.backward()
    with pytest.raises(ag.GraphError, match="call it before backward"):
        ag.explain_backward(y)
    with pytest.raises(ag.GraphError, match="does not require grad"):
        ag.explain_backward(Value(1.0, requires_grad=False))


def test_frames_show_the_gradient_arriving_one_step_at_a_time():
    a, b = Value(2.0, name="a"), Value(3.0, name="b")
    y = a * b
    y.name = "y"
    trace = ag.explain_backward(y)
    first, last = (f.source for f in trace.frames())
    assert "grad 1" in first and "grad 3" not in first  # only the seed before the step
    assert "grad 3" in last and "grad 2" in last and "#d62728" in last  # after it, the inputs' gradients
    with pytest.raises(ValueError, match=r"\.html or \.gif"):
        trace.save("steps.png")
