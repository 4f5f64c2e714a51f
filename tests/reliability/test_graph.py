"""Graph and backward under hostile use: deep chains, reuse, equal leaves, misuse errors, no_grad."""

import gc
import sys
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import GraphError, ShapeError, Value, no_grad

from ._fd import assert_matches_fd

N = 100_000


def _chain(x, n=N):
    y = x
    for _ in range(n):
        y = y * 1.000001
    return y


@pytest.fixture
def small_recursion_limit():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # anything recursive over the chain would fail loudly
    yield
    sys.setrecursionlimit(old)


def test_deep_chain_backward(small_recursion_limit):
    x = Value(np.array([1.0, 2.0]))
    y = _chain(x).sum()
    y.backward()
    np.testing.assert_allclose(x.grad, 1.000001**N * np.ones(2), rtol=1e-9)


def test_deep_chain_repeated_leaf_backward(small_recursion_limit):
    x = Value(1.5)
    y = x
    for _ in range(N):
        y = y + x  # the same leaf feeds every node
    y.backward()
    assert x.grad == N + 1


def test_deep_chain_draw_and_repr(small_recursion_limit):
    y = _chain(Value(1.0))
    graph = ag.draw_graph(y)
    assert "mul" in graph.source
    assert "op=mul" in repr(y)
    assert str(y)


def test_deep_chain_gradients_and_create_graph(small_recursion_limit):
    x = Value(0.3)
    y = x
    for _ in range(20_000):
        y = (y * 1.0001).tanh() * 0 + y  # d/dx = 1, but every node is live in the second-order graph
    (g,) = ag.gradients(y, x, create_graph=True)
    assert g.item() == pytest.approx(1.0)
    (gg,) = ag.gradients(g, x, allow_unused=True)
    assert gg is None or gg.item() == pytest.approx(0.0)


@pytest.mark.parametrize("after_backward", [False, True])
def test_deep_chain_deletion_by_refcount(small_recursion_limit, after_backward):
    """Deleting a 100,000-node graph neither recurses nor needs the cycle collector."""
    gc.collect()
    gc.disable()
    try:
        x = Value(1.0)
        first = x * 2.0
        y = _chain(first, N)
        if after_backward:
            y.backward()
        ref, ref_x = weakref.ref(first), weakref.ref(x)
        del first, x
        # the chain holds `first`: before backward as its graph, after it as the skeleton a
        # drawing reads (small Values stay; big arrays are freed, see test_viz)
        assert ref() is not None
        del y
        assert ref() is None and ref_x() is None
    finally:
        gc.enable()


REUSE = {
    "x*x": lambda x, y: x * x,
    "a+a": lambda x, y: x + x,
    "x*x*x - x/x": lambda x, y: x * x * x - x / (x + 3),
    "diamond": lambda x, y: (lambda h: h.exp() * h.tanh() + h)(x * y),
    "many branches": lambda x, y: sum((x * k).sigmoid() for k in range(1, 8)) * x,
    "interior reuse": lambda x, y: (lambda h: h * h + (h @ h.T).sum() * h)(x.tanh() + y),
    "x@x.T": lambda x, y: x @ x.T,
    "overlapping getitem": lambda x, y: x[0] * x[0] + x[:, 1:].sum() * x[0, 1] + x[[0, 0, 1]].sum(),
    "broadcast reuse": lambda x, y: x * y.sum(axis=0, keepdims=True) + y * x[:1],
    "max with ties": lambda x, y: (x * 0 + 1).max() * x + x.max(axis=1, keepdims=True),
    "pow value exponent": lambda x, y: (x * x + 1) ** (y * 0.5),
}


@pytest.mark.parametrize("name", list(REUSE))
def test_reuse_matches_finite_differences(name):
    rng = np.random.default_rng(1)
    x = rng.uniform(0.5, 1.5, size=(2, 2))
    y = rng.uniform(0.5, 1.5, size=(2, 2))
    assert_matches_fd(REUSE[name], x, y)


def test_equal_valued_distinct_leaves_get_their_own_gradients():
    a, b = Value(2.0), Value(2.0)
    (a * b * b).backward()
    assert a.grad == 4.0 and b.grad == 8.0
    arr = np.array([1.0, 1.0])
    p, q = Value(arr), Value(arr)  # same source array, two leaves
    (p * 3 + q * 5).sum().backward()
    np.testing.assert_array_equal(p.grad, [3, 3])
    np.testing.assert_array_equal(q.grad, [5, 5])
    c, d = Value(1.0), Value(1.0)
    assert bool(c == d)  # __eq__ compares data; graph bookkeeping must not
    (c + 2 * d).backward()
    assert (c.grad, d.grad) == (1.0, 2.0)


def test_backward_twice_raises_and_changes_nothing():
    x = Value(3.0)
    y = (x * x).exp() * 0 + x * x
    y.backward()
    assert x.grad == 6.0
    with pytest.raises(GraphError, match="retain_graph=True"):
        y.backward()
    assert x.grad == 6.0
    with pytest.raises(GraphError, match="retain_graph"):
        ag.gradients(y, x)


def test_backward_twice_with_retain_graph_accumulates():
    x = Value(3.0)
    y = x * x
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad == 18.0
    x.zero_grad()
    assert x.grad is None


def test_shared_subgraph_freed_by_first_backward():
    x = Value(2.0)
    h = x.exp()
    z1, z2 = h * 2, h * 3
    z1.backward()
    with pytest.raises(GraphError, match="'exp'"):
        z2.backward()


def test_non_scalar_root_without_grad_quotes_shape():
    y = Value(np.ones((2, 3))) * 2
    with pytest.raises(GraphError, match=r"\(2, 3\)"):
        y.backward()
    with pytest.raises(GraphError, match=r"\(2, 3\)"):
        ag.gradients(y, [])


@pytest.mark.parametrize("bad", [np.ones(3), np.ones((3, 2)), np.ones((1, 2, 3)), 1.0])
def test_wrong_shaped_grad_names_both_shapes(bad):
    x = Value(np.ones((2, 3)))
    y = x * 2
    with pytest.raises(ShapeError) as info:
        y.backward(bad)
    assert str(np.shape(bad)) in str(info.value) and "(2, 3)" in str(info.value)
    with pytest.raises(ShapeError, match=r"\(2, 3\)"):
        ag.gradients(y, x, grad_outputs=bad)
    assert x.grad is None


def test_size_one_non_scalar_root_is_fine():
    x = Value(np.array([[2.0]]))
    (x * x).backward()
    assert x.grad.shape == (1, 1) and x.grad[0, 0] == 4.0


@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(1.0, requires_grad=False),
        lambda: Value(np.array([1, 2])),
        lambda: Value(np.array([True])),
        lambda: Value(1.0, requires_grad=False) * 3,
        lambda: Value(1.0).detach().exp(),
    ],
)
def test_backward_from_value_not_requiring_grad(make):
    y = make()
    with pytest.raises(GraphError, match="does not require grad"):
        y.sum().backward() if y.ndim else y.backward()
    with pytest.raises(GraphError, match="does not require grad"):
        ag.gradients(y, [Value(1.0)])


def test_no_grad_records_nothing():
    x = Value(np.ones(3))
    with no_grad():
        y = (x * 2).exp().sum()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y._op is None and y._prev is None and y._saved is None
    with pytest.raises(GraphError):
        y.backward()

    @no_grad()
    def f(v):
        return v * v

    z = f(x)
    assert z._op is None and not z.requires_grad
    with no_grad():
        with ag.enable_grad():
            w = x * x
        assert w.requires_grad and w._op.name == "mul"


def test_no_grad_keeps_no_reference_to_inputs():
    gc.disable()
    try:
        x = Value(np.ones(3))
        ref = weakref.ref(x)
        with no_grad():
            y = x * 2 + 1
        del x
        assert ref() is None
        assert y.shape == (3,)
    finally:
        gc.enable()


def test_no_grad_exits_cleanly_on_exception():
    with pytest.raises(ZeroDivisionError), no_grad():
        1 / 0  # noqa: B018
    assert ag.is_grad_enabled()


def test_interior_nodes_keep_no_grad_unless_retained():
    x = Value(2.0)
    h = x * 3
    k = (x * 4).retain_grad()
    (h * k).backward()
    assert h.grad is None
    assert k.grad == 6.0
    assert x.grad == 2 * 3 * 4 * 2


def test_gradients_edge_cases():
    x = Value(2.0)
    assert [g.item() for g in ag.gradients(x * x, [x, x])] == [4.0, 4.0]  # repeated inputs
    w = x * x
    assert ag.gradients([w, w], [x])[0].item() == 8.0  # the same root twice adds up, as in PyTorch
    z = x * 3
    assert ag.gradients(z, [z])[0].item() == 1.0  # an output is its own input
    assert ag.gradients(x, [x])[0].item() == 1.0  # a leaf root
    h = x * 2
    assert [g.item() for g in ag.gradients(h * 5, [h, x])] == [5.0, 10.0]  # interior and leaf together
    with pytest.raises(GraphError, match="allow_unused"):
        ag.gradients(x * 2, [Value(1.0)])
    assert ag.gradients(x * 2, [Value(1.0)], allow_unused=True) == [None]
    with pytest.raises(TypeError, match="Values"):
        ag.gradients(x * 2, [np.ones(1)])
    assert x.grad is None  # gradients() never touches .grad


def test_integer_value_as_an_index_accumulates_repeats():
    v = Value(np.arange(3.0))
    v[Value(np.array([0, 0, 1]))].sum().backward()
    np.testing.assert_array_equal(v.grad, [2.0, 1.0, 0.0])


def test_grad_mode_is_process_wide_documented():
    """Documented choice: no_grad() is a process-wide switch (one class attribute read per op, the
    cheapest check), not thread-local as in PyTorch: another thread's ops are not recorded meanwhile."""
    import threading

    seen = {}

    def worker():
        seen["recorded"] = (Value(1.0) * 2).requires_grad

    with no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen["recorded"] is False
    assert (Value(1.0) * 2).requires_grad
