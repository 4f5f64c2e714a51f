"""The public custom-op API end to end: primitive/defop + defvjp work like built-ins everywhere."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import Value
from autograd_core.functional import grad, hessian, jacobian, jvp


@pytest.fixture(autouse=True)
def _restore_registry():
    """Custom ops defined here must not leak into the registry-driven sweep."""
    before = dict(ag.REGISTRY)
    yield
    ag.REGISTRY.clear()
    ag.REGISTRY.update(before)


def _define_ops():
    """A cube via the decorator, a two-input op via defop, and an op with no derivative."""

    @ag.primitive("test_cube")
    def cube(x):
        return x**3

    # The rule uses operators only, so it works on arrays and on Values (create_graph).
    cube.defvjp(lambda g, out, x: g * 3 * x * x)

    def _hypot_vjp(which):
        return lambda g, out, x, y: g * (x if which == 0 else y) / out

    hypot = ag.defop("test_hypot", np.hypot, _hypot_vjp(0), _hypot_vjp(1))
    nodiff = ag.defop("test_nodiff", np.sin)
    return cube, hypot, nodiff


def test_registered_like_a_builtin():
    cube, hypot, _ = _define_ops()
    assert ag.REGISTRY["test_cube"] is cube and ag.REGISTRY["test_hypot"] is hypot
    assert isinstance(cube, ag.Op) and cube.kind == "custom"
    assert "op=test_cube" in repr(cube(Value(np.ones(2))))


def test_backward_and_broadcasting():
    cube, hypot, _ = _define_ops()
    x = Value(np.array([1.0, -2.0, 0.5]))
    y = Value(np.array([[2.0], [3.0]]))
    out = (cube(x) + hypot(x, y)).sum()
    out.backward()
    r = np.hypot(x.data, y.data)
    np.testing.assert_allclose(x.grad, 2 * 3 * x.data**2 + (x.data / r).sum(axis=0))
    np.testing.assert_allclose(y.grad, (y.data / r).sum(axis=1, keepdims=True))
    assert y.grad.shape == (2, 1)


def test_matches_torch():
    _, hypot, _ = _define_ops()
    a, b = np.array([0.3, -1.2, 2.0]), np.array([1.5, 0.4, -0.7])
    x, y = Value(a), Value(b)
    (hypot(x, y) ** 2).tanh().sum().backward()
    ta = torch.tensor(a, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    torch.tanh(torch.hypot(ta, tb) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(y.grad, tb.grad.numpy(), rtol=1e-12)


def test_create_graph_gives_second_derivatives():
    cube, _, _ = _define_ops()
    x = Value(2.0)
    cube(x).backward(create_graph=True)
    assert x.grad.item() == pytest.approx(12.0)
    (g2,) = ag.gradients(x.grad, [x])
    assert g2.item() == pytest.approx(12.0)


def test_gradcheck_and_gradgradcheck():
    cube, hypot, _ = _define_ops()
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    assert ag.gradcheck(lambda x, y: hypot(cube(x), y), [a, b])
    assert ag.gradgradcheck(lambda x, y: hypot(cube(x), y), [a, b])
    assert ag.gradcheck(lambda x, y: hypot(cube(x), y), [a, b], fast=True)


def test_functional_api():
    cube, hypot, _ = _define_ops()
    assert grad(lambda x: cube(x))(2.0) == pytest.approx(12.0)
    assert grad(grad(lambda x: cube(x)))(2.0) == pytest.approx(12.0)
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(jacobian(lambda v: cube(v))(x), np.diag(3 * x**2))
    np.testing.assert_allclose(hessian(lambda v: cube(v).sum())(x), np.diag(6 * x))
    _, tan = jvp(lambda u, v: hypot(u, v), (np.array([3.0]), np.array([4.0])), (np.ones(1), np.zeros(1)))
    np.testing.assert_allclose(tan, [0.6])


def test_missing_vjp_raises_not_implemented_naming_the_op():
    _, _, nodiff = _define_ops()
    x = Value(np.ones(2))
    y = nodiff(x)
    np.testing.assert_allclose(y.data, np.sin(1.0))
    with pytest.raises(NotImplementedError, match="test_nodiff"):
        y.sum().backward()
    # A missing rule only matters when that input needs a gradient.
    assert not nodiff(Value(np.ones(2), requires_grad=False)).requires_grad


def test_none_vjp_for_a_nondifferentiable_input():
    scale = ag.defop("test_scale", lambda x, s: x * s, lambda g, out, x, s: g * s, None)
    x = Value(np.ones(3))
    scale(x, Value(np.array(2.0), requires_grad=False)).sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 2.0, 2.0])
    s = Value(2.0)
    with pytest.raises(NotImplementedError, match="test_scale"):
        scale(x, s).sum().backward()


def test_drawn_like_a_builtin():
    cube, _, _ = _define_ops()
    src = ag.draw_graph(cube(Value(np.ones(2))).sum()).source
    assert "test_cube" in src


def test_defop_rejects_non_callables():
    with pytest.raises(TypeError, match="forward"):
        ag.defop("test_bad", 3)
    with pytest.raises(TypeError, match="vjp"):
        ag.defop("test_bad", np.sin, "not callable")


def test_a_missing_vjp_raises_before_any_gradient_is_written():
    half = ag.Op("half_known", lambda x, y: x * y, [lambda g, out, x, y: g * y, None])
    a, b = Value(np.array([1.0, 2.0])), Value(np.array([3.0, 4.0]))
    loss = (half(a, b) + a).sum()
    with pytest.raises(NotImplementedError, match="half_known"):
        loss.backward()
    assert a.grad is None and b.grad is None


@pytest.mark.parametrize(
    "register",
    [
        lambda name, **kw: ag.defop(name, np.sin, lambda g, out, x: g * np.cos(x), **kw),
        lambda name, **kw: ag.primitive(name, **kw)(np.sin),
        lambda name, **kw: ag.ops.defop_variadic(name, np.add, lambda i, g, out, *xs: g, **kw),
    ],
    ids=["defop", "primitive", "defop_variadic"],
)
def test_an_existing_name_is_refused_unless_replace(register):
    first = register("test_dup")
    with pytest.raises(ag.DuplicateOpError, match=r"'test_dup'.*replace=True"):
        register("test_dup")
    assert ag.REGISTRY["test_dup"] is first  # refused before any change
    second = register("test_dup", replace=True)
    assert ag.REGISTRY["test_dup"] is second is not first


def test_a_builtin_name_is_refused():
    with pytest.raises(ValueError, match="'add' is already registered"):  # DuplicateOpError is a ValueError
        ag.defop("add", np.subtract, None, None)
    assert (Value(1.0) + Value(2.0)).item() == 3.0 and ag.REGISTRY["add"] is ag.add


@pytest.mark.parametrize(
    "vjp",
    [
        lambda g, out, x: g * (1 - np.tanh(x) ** 2),  # numpy's function: our op on a Value
        lambda g, out, x: g * (1 - ag.tanh.dispatch(x) ** 2),  # the op, on arrays or Values
        lambda g, out, x: g * (1 - out * out),  # operators on the saved output
    ],
    ids=["np.tanh", "dispatch", "operators"],
)
def test_the_readmes_ways_of_writing_a_vjp_work_at_first_and_second_order(vjp):
    """README, "Your own primitives": these spellings are differentiable (gradcheck and gradgradcheck)."""
    op = ag.defop("readme_tanh_vjp", np.tanh, vjp, replace=True)
    x = [np.array([0.3, -0.7, 1.2])]
    assert ag.gradcheck(op, x) and ag.gradgradcheck(op, x)
    ag.REGISTRY.pop("readme_tanh_vjp")


def test_a_method_ndarray_lacks_fails_in_an_ordinary_backward_as_the_readme_says():
    op = ag.defop("readme_tanh_method", np.tanh, lambda g, out, x: g * (1 - x.tanh() ** 2), replace=True)
    try:
        with pytest.raises(AttributeError, match="tanh"):
            ag.gradcheck(op, [np.array([0.3])])
    finally:
        ag.REGISTRY.pop("readme_tanh_method")
