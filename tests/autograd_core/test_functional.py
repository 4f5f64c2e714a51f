"""Functional API: grad, value_and_grad, jacobian, hessian, vjp, jvp against analytic forms and torch.func."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import DTypeError, ShapeError, Value
from autograd_core.functional import grad, hessian, jacobian, jvp, value_and_grad, vjp

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.func's own notices

RNG = np.random.default_rng(0)
X = RNG.standard_normal(4)
W = RNG.standard_normal((3, 4))


def f_ag(x):
    return ((W @ x).tanh() * x[:3]).sum() + (x**2).exp().mean()


def f_torch(x):
    w = torch.tensor(W)
    return (torch.tanh(w @ x) * x[:3]).sum() + torch.exp(x**2).mean()


def t(a):
    return torch.tensor(a, dtype=torch.float64)


def test_grad_matches_torch_and_returns_raw_arrays():
    g = grad(f_ag)(X)
    assert type(g) is np.ndarray
    np.testing.assert_allclose(g, torch.func.grad(f_torch)(t(X)).numpy(), rtol=1e-12)


def test_value_and_grad():
    v, g = value_and_grad(f_ag)(X)
    assert v == pytest.approx(f_torch(t(X)).item())
    np.testing.assert_allclose(g, grad(f_ag)(X))


def test_argnums_tuple_and_negative():
    def f(a, b, c):
        return (a * b).sum() + (b**2 * c).sum()

    a, b, c = np.ones(2), np.array([2.0, 3.0]), 0.5
    ga, gc = grad(f, argnums=(0, -1))(a, b, c)
    np.testing.assert_allclose(ga, b)
    assert gc == pytest.approx((b**2).sum())
    with pytest.raises(ValueError, match="argnums 3"):
        grad(f, argnums=3)(a, b, c)


def test_grad_of_nonscalar_names_the_shape():
    with pytest.raises(ShapeError, match=r"\(3,\)"):
        grad(lambda x: x * 2)(np.ones(3))


def test_grad_of_integer_argument_is_a_clear_error():
    with pytest.raises(DTypeError, match="argument 0 has dtype int"):
        grad(lambda x: x.sum())(np.arange(3))


def test_has_aux():
    g, aux = grad(lambda x: ((x**2).sum(), "aux"), has_aux=True)(np.ones(2))
    np.testing.assert_allclose(g, [2.0, 2.0])
    assert aux == "aux"


def test_unused_argument_gets_zero_gradient():
    g = grad(lambda x, y: (x * 2).sum(), argnums=1)(np.ones(2), np.ones(3))
    np.testing.assert_array_equal(g, np.zeros(3))


def test_nested_grad_of_grad():
    assert grad(grad(lambda x: x**3))(2.0) == pytest.approx(12.0)
    assert grad(grad(grad(lambda x: x**3)))(2.0) == pytest.approx(6.0)
    assert grad(grad(lambda x: x.tanh()))(0.3) == pytest.approx(
        torch.func.grad(torch.func.grad(torch.tanh))(t(0.3)).item()
    )


def test_nested_through_a_closure():
    # d/dx [d/dy (x * y^2) at y=3] = d/dx (6x) = 6
    assert grad(lambda x: grad(lambda y: x * y * y)(3.0))(2.0) == pytest.approx(6.0)


def test_jacobian_matches_torch():
    def g_ag(x):
        return (W @ x).tanh() * x.sum()

    def g_t(x):
        return torch.tanh(torch.tensor(W) @ x) * x.sum()

    J = jacobian(g_ag)(X)
    assert J.shape == (3, 4)
    np.testing.assert_allclose(J, torch.autograd.functional.jacobian(g_t, t(X)).numpy(), rtol=1e-12)


def test_jacobian_layouts():
    x = RNG.standard_normal((2, 3))
    J = jacobian(lambda v: v.exp())(x)
    assert J.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(J.reshape(6, 6), np.diag(np.exp(x).ravel()))
    (ja, jb), (ka, kb) = jacobian(lambda a, b: (a * b, a + b), argnums=(0, 1))(np.ones(2), np.full(2, 3.0))
    np.testing.assert_allclose(ja, 3 * np.eye(2))
    np.testing.assert_allclose(jb, np.eye(2))
    np.testing.assert_allclose(ka, np.eye(2))
    np.testing.assert_allclose(kb, np.eye(2))


def test_hessian_matches_torch():
    H = hessian(f_ag)(X)
    np.testing.assert_allclose(H, torch.autograd.functional.hessian(f_torch, t(X)).numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(H, H.T, atol=1e-12)


def test_hessian_of_two_arguments():
    (haa, hab), (hba, hbb) = hessian(lambda a, b: (a * a * b).sum(), argnums=(0, 1))(np.ones(2), np.full(2, 2.0))
    np.testing.assert_allclose(haa, 4 * np.eye(2))
    np.testing.assert_allclose(hab, 2 * np.eye(2))
    np.testing.assert_allclose(hba, 2 * np.eye(2))
    np.testing.assert_allclose(hbb, np.zeros((2, 2)))


def test_grad_of_hessian_third_order_matches_torch():
    def g_ag(x):
        return (x**3).sum() * x[0]

    def g_t(x):
        return (x**3).sum() * x[0]

    x = np.array([1.0, 2.0])
    got = grad(lambda v: hessian(g_ag)(v).sum())(x)
    tx = t(x).requires_grad_()
    torch.autograd.functional.hessian(g_t, tx, create_graph=True).sum().backward()
    np.testing.assert_allclose(got, tx.grad.numpy())
    assert jacobian(jacobian(lambda v: v.tanh() * v.sum()))(x).shape == (2, 2, 2)


def test_jacobian_of_grad_is_the_hessian():
    np.testing.assert_allclose(jacobian(grad(f_ag))(X), hessian(f_ag)(X))


def test_vjp_matches_torch_and_reuses_graph():
    def g_ag(x):
        return (W @ x).tanh()

    out, fn = vjp(g_ag, X)
    np.testing.assert_allclose(out, np.tanh(W @ X))
    for _ in range(2):
        ct = RNG.standard_normal(3)
        (gx,) = fn(ct)
        _, tfn = torch.func.vjp(lambda x: torch.tanh(torch.tensor(W) @ x), t(X))
        np.testing.assert_allclose(gx, tfn(t(ct))[0].numpy(), rtol=1e-12)
    with pytest.raises(ShapeError, match=r"\(2,\)"):
        fn(np.ones(2))


def test_jvp_matches_torch():
    def h_ag(x, y):
        return (x * y).tanh(), (x.exp() * y).sum()

    def h_t(x, y):
        return torch.tanh(x * y), (torch.exp(x) * y).sum()

    xs = (RNG.standard_normal(3), RNG.standard_normal(3))
    vs = (RNG.standard_normal(3), RNG.standard_normal(3))
    (o1, o2), (t1, t2) = jvp(h_ag, xs, vs)
    (e1, e2), (f1, f2) = torch.func.jvp(h_t, tuple(map(t, xs)), tuple(map(t, vs)))
    np.testing.assert_allclose(o1, e1.numpy())
    np.testing.assert_allclose(t1, f1.numpy(), rtol=1e-12)
    assert o2 == pytest.approx(e2.item()) and t2 == pytest.approx(f2.item())


def test_jvp_equals_jacobian_times_tangent():
    v = RNG.standard_normal(4)
    _, tangent = jvp(lambda x: (W @ x).tanh() * x.sum(), (X,), (v,))
    np.testing.assert_allclose(tangent, jacobian(lambda x: (W @ x).tanh() * x.sum())(X) @ v, rtol=1e-12)


def test_jvp_through_relu_and_max():
    x = np.array([-1.0, 0.5, 2.0])
    _, tan = jvp(lambda a: a.relu().max(), (x,), (np.array([1.0, 1.0, 1.0]),))
    assert tan == pytest.approx(1.0)


def test_grad_of_jvp_and_jvp_of_grad():
    # d/dx [jvp of x^3 with tangent 1] = d/dx 3x^2 = 6x
    g = grad(lambda x: jvp(lambda s: s**3, (x,), (1.0,))[1])(2.0)
    assert g == pytest.approx(12.0)
    _, tan = jvp(grad(lambda s: s**3), (2.0,), (1.0,))
    assert tan == pytest.approx(12.0)


def test_value_inputs_give_value_outputs():
    x = Value(X)
    g = grad(f_ag)(x)
    assert isinstance(g, Value) and g.requires_grad
    np.testing.assert_allclose(g.data, grad(f_ag)(X))
    assert x.grad is None  # transforms never touch .grad
    (g * g).sum().backward()  # the gradient is differentiable
    np.testing.assert_allclose(x.grad, 2 * hessian(f_ag)(X) @ grad(f_ag)(X), rtol=1e-10)


def test_transforms_work_under_no_grad():
    with ag.no_grad():
        np.testing.assert_allclose(grad(lambda x: (x**2).sum())(np.ones(2)), [2.0, 2.0])


def test_float32_inputs_keep_float32():
    g = grad(lambda x: (x**2).sum())(np.ones(3, np.float32))
    assert g.dtype == np.float32


def test_grad_of_a_python_number_is_a_python_float():
    g = grad(grad(lambda x: x**3))(2.0)
    assert type(g) is float and g == 12.0
    assert type(grad(lambda x: x * x)(3)) is float  # an int argument too
    gx, gy = grad(lambda x, y: x * y, argnums=(0, 1))(2.0, np.array(3.0))
    assert type(gx) is float and gx == 3.0
    assert isinstance(gy, np.ndarray) and gy.shape == ()  # arrays in, arrays out
    value, g1 = value_and_grad(lambda x: x**2)(1.5)
    assert type(g1) is float and g1 == 3.0 and float(value) == 2.25


def test_rule_a_closure_over_an_outer_value_argument_stays_differentiable():
    g = grad(lambda x: grad(lambda y: x * y * y)(3.0))(Value(2.0))  # d/dx (6x) = 6
    assert isinstance(g, Value) and g.item() == pytest.approx(6.0)


def test_rule_a_closure_over_a_value_requiring_grad_gives_values_differentiable_in_it():
    w = Value(2.0)
    g = grad(lambda x: w * x * x)(3.0)  # 2 w x
    assert isinstance(g, Value) and g.item() == pytest.approx(12.0)
    g.backward()
    assert w.grad == pytest.approx(6.0)  # d(2 w x)/dw at x = 3
    c = Value(2.0, requires_grad=False)
    assert type(grad(lambda x: c * x * x)(3.0)) is float  # a constant Value changes nothing


def test_rule_reads_the_arguments_and_the_graph_not_the_nesting():
    inner_types = []

    def outer(x):
        inner = grad(lambda y: (y * y).sum())(np.ones(2))  # independent of x: plain arrays
        inner_types.append(type(inner))
        return (x * float(inner.sum())).sum()

    np.testing.assert_allclose(grad(outer)(np.ones(3)), np.full(3, 4.0))
    assert inner_types == [np.ndarray]
    _, fn = vjp(lambda y: y * 2.0, np.ones(2))
    g = grad(lambda x: (x * fn(np.ones(2))[0]).sum())(np.ones(2))  # vjp_fn called inside another transform
    assert isinstance(g, np.ndarray) and np.allclose(g, 2.0)
