"""Backward and graph rules: deep chains, errors, accumulation, freeing, grad modes, higher order."""

import gc
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import GraphError, ShapeError, Value


def test_100k_op_chain_has_no_recursion_limit():
    x = Value(1.0)
    y = x
    for i in range(100_000):
        y = y * 1.00001 if i % 2 else y + 0.5
    y.backward()
    assert x.grad == pytest.approx(1.00001**50_000)
    assert y.item() > 1


def test_deep_graph_freed_without_backward():
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    del y  # deallocating a 100k-deep chain must not overflow the C stack
    assert x.grad is None


def test_nonscalar_root_without_grad_names_the_shape():
    y = Value(np.ones((2, 3))) * 2
    with pytest.raises(GraphError, match=r"\(2, 3\)"):
        y.backward()
    y.backward(np.ones((2, 3)))
    with pytest.raises(ShapeError, match=r"\(3,\)"):
        (Value(np.ones((2, 3))) * 2).backward(np.ones(3))


def test_second_backward_raises_unless_retain_graph():
    x = Value(np.array([1.0, 2.0]))
    y = (x * x).sum()
    y.backward()
    with pytest.raises(GraphError, match="retain_graph"):
        y.backward()
    x.zero_grad()
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad, 4 * x.data)


def test_leaves_accumulate_across_calls():
    x = Value(3.0)
    for _ in range(3):
        (x * x).backward()
    assert x.grad == pytest.approx(18.0)
    x.zero_grad()
    (x * 2).backward()
    assert x.grad == pytest.approx(2.0)


def test_interior_nodes_keep_no_grad_unless_retained():
    x = Value(np.array([1.0, 2.0]))
    h = x * 2
    k = h.exp()
    k.retain_grad()
    k.sum().backward()
    assert h.grad is None
    np.testing.assert_allclose(k.grad, [1.0, 1.0])
    np.testing.assert_allclose(x.grad, 2 * np.exp(2 * x.data))


def test_grads_are_read_only():
    x = Value(np.ones(2))
    (x * 2).sum().backward()
    with pytest.raises(ValueError):
        x.grad[0] = 1


def test_node_reused_many_times_accumulates():
    x = Value(2.0)
    h = x * 3
    total = h
    for _ in range(99):
        total = total + h
    total.backward()
    assert x.grad == pytest.approx(300.0)
    y = Value(np.array([1.0, 2.0]))
    z = (y * y * y).sum() + (y * y).sum()
    z.backward()
    np.testing.assert_allclose(y.grad, 3 * y.data**2 + 2 * y.data)


@pytest.mark.parametrize(
    ("sa", "sb"),
    [((3, 1), (4,)), ((2, 3), ()), ((1,), (5, 1, 3)), ((2, 1, 4), (3, 1)), ((), ())],
)
def test_unbroadcast_gives_each_input_its_shape(sa, sb):
    rng = np.random.default_rng(0)
    a, b = Value(rng.standard_normal(sa)), Value(rng.standard_normal(sb))
    out = a * b + a
    out.backward(np.ones(out.shape))
    assert a.grad.shape == sa and b.grad.shape == sb
    full = np.broadcast_shapes(sa, sb)
    np.testing.assert_allclose(b.grad, np.broadcast_to(a.data, full).sum(axis=_axes(full, sb)).reshape(sb))


def _axes(full, shape):
    lead = len(full) - len(shape)
    return tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and full[i + lead] != 1)


def test_graph_freed_by_refcount_alone():
    gc.collect()
    gc.disable()
    try:
        x = Value(np.ones(3))
        h = (x * 2).exp()
        y = (h * h).sum()
        refs = [weakref.ref(h), weakref.ref(y)]
        del h, y
        assert all(r() is None for r in refs)
        h = x.tanh()
        y = h.sum()
        y.backward()
        ref = weakref.ref(h)
        del h, y
        assert ref() is None
        # Gradients from gradients(create_graph=True) hold no cycle either.
        h = x**3
        (g,) = ag.gradients(h.sum(), [x], create_graph=True)
        refs = [weakref.ref(h), weakref.ref(g)]
        del h, g
        assert all(r() is None for r in refs)
    finally:
        gc.enable()


def test_no_grad_and_enable_grad_as_context_managers():
    x = Value(np.ones(2))
    with ag.no_grad():
        y = x * 2
        assert not ag.is_grad_enabled()
        with ag.enable_grad():
            z = x * 2
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf
    assert z.requires_grad and not z.is_leaf
    with ag.set_grad_enabled(False):
        assert not (x * 2).requires_grad


def test_no_grad_and_enable_grad_as_decorators():
    @ag.no_grad()
    def frozen(v):
        return v * 2

    @ag.enable_grad()
    def recorded(v):
        return v * 2

    x = Value(np.ones(2))
    assert not frozen(x).requires_grad
    with ag.no_grad():
        assert recorded(x).requires_grad
    assert ag.is_grad_enabled()


def test_no_grad_restores_state_after_exception():
    with pytest.raises(RuntimeError), ag.no_grad():
        raise RuntimeError("boom")
    assert ag.is_grad_enabled()


def test_create_graph_gives_differentiable_gradients():
    x = Value(2.0)
    y = x**3
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.requires_grad
    assert x.grad.item() == pytest.approx(12.0)
    (g2,) = ag.gradients(x.grad, [x], create_graph=True)
    assert g2.item() == pytest.approx(12.0)  # 6x
    (g3,) = ag.gradients(g2, [x])
    assert g3.item() == pytest.approx(6.0)


def test_gradients_api():
    x, y = Value(np.array([1.0, 2.0])), Value(3.0)
    out = (x * y).sum()
    gx, gy = ag.gradients(out, [x, y], retain_graph=True)
    np.testing.assert_allclose(gx.data, [3.0, 3.0])
    assert gy.item() == pytest.approx(3.0)
    assert x.grad is None and y.grad is None  # .grad untouched
    unused = Value(1.0)
    with pytest.raises(GraphError, match="allow_unused"):
        ag.gradients(out, [unused], retain_graph=True)
    assert ag.gradients(out, [unused], allow_unused=True) == [None]


def test_backward_on_value_without_graph_raises():
    with pytest.raises(GraphError):
        Value(np.arange(3)).backward()


def test_inplace_change_of_saved_input_is_reported():
    x = Value(np.array([1.0, 2.0]))
    y = (x * x).sum()
    x.data = np.array([5.0, 6.0])
    with pytest.raises(ag.InplaceModificationError, match="mul"):
        y.backward()


def test_a_failing_vjp_leaves_every_grad_untouched():
    """.grad is written only once the whole sweep has succeeded, so an error leaves no partial gradients."""
    bad = ag.defop("test_bad_vjp", np.sin, lambda g, out, x: np.ones(7))  # a gradient of the wrong shape
    try:
        a, b = Value(np.ones(3)), Value(np.ones(3))
        y = (b * 2.0 + bad(a)).sum()  # b is reached before the bad vjp runs
        with pytest.raises(ShapeError, match="test_bad_vjp"):
            y.backward()
        assert a.grad is None and b.grad is None
    finally:
        del ag.REGISTRY["test_bad_vjp"]
