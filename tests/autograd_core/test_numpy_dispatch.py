"""numpy's protocols on Value: every entry of numpy_dispatch's tables gives numpy's value and a
gradient that passes finite differences; everything else refuses, naming the numpy function."""

import numpy as np
import pytest
import scipy.special

import autograd_core as ag
from autograd_core import NotDifferentiableError, Value
from autograd_core.gradcheck import gradcheck
from autograd_core.numpy_dispatch import CONSTANT_FUNCTIONS, CONSTANT_UFUNCS, FUNCTIONS, REDUCTIONS, UFUNCS

R = np.random.default_rng(7)
A = R.uniform(0.5, 2.0, (2, 3))  # positive: log, sqrt, reciprocal, power are smooth here
B = R.uniform(0.5, 2.0, (3,))
C = R.uniform(-2.0, 2.0, (2, 3))  # ties and kinks are avoided (distinct continuous values)
S = np.array(0.7)

# numpy function -> list of (call on Values-or-arrays, inputs). Each call runs twice: on plain arrays
# (numpy's value) and on Values (ours); the Values' gradient is then gradchecked.
FUNCTION_SAMPLES = {
    np.sum: [(lambda a: np.sum(a, axis=1, keepdims=True), [A]), (lambda a: np.sum(a, 0, np.float64), [A])],
    np.mean: [(lambda a: np.mean(a), [A]), (lambda a: np.mean(a, axis=(0, 1), keepdims=True), [A])],
    np.max: [(lambda a: np.max(a, axis=0), [C])],
    np.amax: [(lambda a: np.amax(a), [C])],
    np.min: [(lambda a: np.min(a, axis=-1, keepdims=True), [C])],
    np.amin: [(lambda a: np.amin(a, 1), [C])],
    np.var: [(lambda a: np.var(a, axis=1), [C]), (lambda a: np.var(a, ddof=1), [C])],
    np.std: [(lambda a: np.std(a, axis=0, keepdims=True), [C]), (lambda a: np.std(a, ddof=1), [C])],
    np.prod: [(lambda c: np.prod(c), [C]), (lambda c: np.prod(c, axis=1, keepdims=True), [C])],
    np.cumsum: [(lambda c: np.cumsum(c), [C]), (lambda c: np.cumsum(c, axis=0), [C])],
    np.cumprod: [(lambda c: np.cumprod(c, 1), [C])],
    np.sort: [(lambda c: np.sort(c), [C]), (lambda c: np.sort(c, axis=None, kind="stable"), [C])],
    np.partition: [(lambda c: np.partition(c, 1, axis=1)[:, 1], [C])],
    np.take: [(lambda c: np.take(c, [[0, 5], [2, 2]]), [C]), (lambda c: np.take(c, [2, 0], axis=1), [C])],
    np.take_along_axis: [(lambda c: np.take_along_axis(c, np.array([[2, 0, 0]]), axis=1), [C])],
    np.flip: [(lambda c: np.flip(c), [C]), (lambda c: np.flip(c, axis=1), [C])],
    np.fliplr: [(lambda c: np.fliplr(c), [C])],
    np.flipud: [(lambda c: np.flipud(c), [C])],
    np.roll: [(lambda c: np.roll(c, 2), [C]), (lambda c: np.roll(c, -1, axis=1), [C])],
    np.repeat: [(lambda c: np.repeat(c, 2), [C]), (lambda c: np.repeat(c, [1, 0, 2], axis=1), [C])],
    np.tile: [(lambda c: np.tile(c, (2, 1, 2)), [C])],
    np.split: [(lambda c: np.split(c, 3, axis=1)[1], [C]), (lambda c: np.split(c, [1])[1], [C])],
    np.array_split: [(lambda c: np.array_split(c, 2, axis=1)[0], [C])],
    np.tril: [(lambda c: np.tril(c, -1), [C])],
    np.triu: [(lambda c: np.triu(c, 1), [C])],
    np.diag: [(lambda c: np.diag(c, 1), [C]), (lambda b: np.diag(b), [B])],
    np.diagonal: [(lambda c: np.diagonal(c, 1), [C])],
    np.trace: [(lambda c: np.trace(c), [C])],
    np.vdot: [(lambda a, c: np.vdot(a, c), [A, C])],
    np.cross: [(lambda a, c: np.cross(a, c), [A, C])],
    np.meshgrid: [(lambda b, c: np.meshgrid(b, c[0])[1], [B, C])],
    np.linalg.inv: [(lambda c: np.linalg.inv(c @ c.T + 3 * np.eye(2)), [C])],
    np.linalg.det: [(lambda c: np.linalg.det(c[:, :2]), [C])],
    np.linalg.slogdet: [(lambda c: np.linalg.slogdet(c[:, :2])[1], [C])],
    np.linalg.solve: [
        (lambda c, b: np.linalg.solve(c @ c.T + 3 * np.eye(2), b[:2]), [C, B]),
        (lambda c: np.linalg.solve(c @ c.T + 3 * np.eye(2), c), [C]),
    ],
    np.linalg.cholesky: [(lambda c: np.linalg.cholesky(c @ c.T + 3 * np.eye(2)), [C])],
    np.linalg.qr: [(lambda c: np.linalg.qr(c.T)[1], [C])],
    np.linalg.svdvals: [(lambda c: np.linalg.svdvals(c), [C])],
    np.linalg.pinv: [(lambda c: np.linalg.pinv(c), [C])],
    np.linalg.lstsq: [(lambda c, b: np.linalg.lstsq(c, b)[0], [C, C[:, 0]])],
    np.linalg.matrix_norm: [(lambda c: np.linalg.matrix_norm(c, ord="nuc"), [C])],
    np.linalg.vector_norm: [(lambda c: np.linalg.vector_norm(c, axis=1, ord=3), [C])],
    np.linalg.norm: [
        (lambda c: np.linalg.norm(c), [C]),
        (lambda c: np.linalg.norm(c, 3, axis=1), [C]),
        (lambda c: np.linalg.norm(c, np.inf), [C]),
        (lambda c: np.linalg.norm(c, axis=(1, 0), keepdims=True), [C]),
    ],
    np.reshape: [(lambda a: np.reshape(a, (3, 2)), [A]), (lambda a: np.reshape(a, -1), [A])],
    np.ravel: [(lambda a: np.ravel(a), [A])],
    np.dstack: [(lambda a, c: np.dstack([a, c]), [A, C])],
    np.column_stack: [(lambda b, c: np.column_stack([b, c[0], c.T[:, :2]]), [B, C])],
    np.kron: [(lambda a, b: np.kron(a, b), [A, B])],
    np.transpose: [(lambda a: np.transpose(a), [A]), (lambda a: np.transpose(a, [1, 0]), [A])],
    np.swapaxes: [(lambda a: np.swapaxes(a, 0, 1), [A])],
    np.moveaxis: [(lambda a: np.moveaxis(a[None], 0, -1), [A]), (lambda a: np.moveaxis(a, [0, 1], [1, 0]), [A])],
    np.matrix_transpose: [(lambda a: np.matrix_transpose(a), [A])],
    np.squeeze: [(lambda a: np.squeeze(a[None]), [A]), (lambda a: np.squeeze(a[:, None], axis=1), [A])],
    np.expand_dims: [(lambda a: np.expand_dims(a, -1), [A]), (lambda a: np.expand_dims(a, (0, 2)), [A])],
    np.broadcast_to: [(lambda b: np.broadcast_to(b, (2, 3)), [B])],
    np.broadcast_arrays: [(lambda a, b: np.broadcast_arrays(a, b)[1], [A, B])],
    np.atleast_1d: [(lambda s: np.atleast_1d(s), [S])],
    np.atleast_2d: [(lambda b: np.atleast_2d(b), [B])],
    np.atleast_3d: [(lambda a: np.atleast_3d(a), [A]), (lambda b: np.atleast_3d(b), [B])],
    np.concatenate: [
        (lambda a, c: np.concatenate([a, c], axis=1), [A, C]),
        (lambda a, b: np.concatenate((a, b), None), [A, B]),
    ],
    np.stack: [(lambda a, c: np.stack([a, c], axis=-1), [A, C])],
    np.vstack: [(lambda a, b: np.vstack([a, b]), [A, B])],
    np.hstack: [(lambda a, c: np.hstack([a, c]), [A, C]), (lambda b: np.hstack([b, b]), [B])],
    np.pad: [(lambda a: np.pad(a, 1), [A]), (lambda a: np.pad(a, ((0, 1), (2, 0)), constant_values=3.0), [A])],
    np.where: [(lambda a, c: np.where(C > 0, a, c), [A, C])],
    np.clip: [(lambda c: np.clip(c, -1.0, 1.0), [C]), (lambda c, a: np.clip(c, a_min=-a, a_max=None), [C, A])],
    np.dot: [
        (lambda a, b: np.dot(a, b), [A, B]),
        (lambda a, c: np.dot(a, c.T), [A, C]),
        (lambda s, b: np.dot(s, b), [S, B]),
    ],
    np.inner: [(lambda a, c: np.inner(a, c), [A, C])],
    np.outer: [(lambda a, b: np.outer(a, b), [A, B])],
    np.tensordot: [(lambda a, c: np.tensordot(a, c, axes=([0, 1], [0, 1])), [A, C])],
    np.einsum: [(lambda a, c: np.einsum("ij,kj->ik", a, c), [A, C])],
    np.linspace: [
        (lambda s, b: np.linspace(s, b, 5), [S, B]),
        (lambda s, b: np.linspace(b, s, 4, endpoint=False, axis=-1), [S, B]),
        (lambda s: np.linspace(s, 2.0, 1), [S]),
    ],
    np.copy: [(lambda a: np.copy(a), [A])],
    np.full_like: [(lambda a, s: np.full_like(a, s), [A, S])],
    np.round: [(lambda c: np.round(c, 1), [C])],
    np.around: [(lambda c: np.around(c), [C])],
    np.fix: [(lambda c: np.fix(c), [C])],
    np.ptp: [(lambda c: np.ptp(c, axis=1), [C])],
    np.diff: [(lambda c: np.diff(c), [C]), (lambda c: np.diff(c, 2, axis=1, prepend=0.5), [C])],
    np.nansum: [(lambda c: np.nansum(c, axis=0), [C])],
    np.nanmean: [(lambda c: np.nanmean(c, 1, keepdims=True), [C])],
    np.average: [(lambda c, b: np.average(c, 1, b), [C, B])],
    np.median: [(lambda c: np.median(c), [C]), (lambda c: np.median(c, axis=0), [C])],
    np.nanmedian: [(lambda c: np.nanmedian(c, 1), [C])],
    np.quantile: [(lambda c: np.quantile(c, [0.3, 0.9], axis=1), [C])],
    np.nanquantile: [(lambda c: np.nanquantile(c, 0.3, method="midpoint"), [C])],
    np.cov: [(lambda c: np.cov(c), [C]), (lambda c, b: np.cov(c, aweights=b), [C, B])],
    np.corrcoef: [(lambda c: np.corrcoef(c, rowvar=False), [C])],
    np.nanvar: [(lambda c: np.nanvar(c, 1), [C]), (lambda c: np.nanvar(c, ddof=1, keepdims=True), [C])],
    np.nanstd: [(lambda c: np.nanstd(c, axis=0), [C])],
    np.nanmax: [(lambda c: np.nanmax(c, 1), [C])],
    np.nanmin: [(lambda c: np.nanmin(c, axis=0, keepdims=True), [C])],
    np.nanprod: [(lambda c: np.nanprod(c, 1), [C])],
    np.nancumsum: [(lambda c: np.nancumsum(c), [C]), (lambda c: np.nancumsum(c, 1), [C])],
    np.percentile: [(lambda c: np.percentile(c, [30, 90], axis=1), [C])],
    np.nanpercentile: [(lambda c: np.nanpercentile(c, 40, method="lower"), [C])],
    np.sinc: [(lambda c: np.sinc(c), [C])],
    np.linalg.matrix_power: [(lambda c: np.linalg.matrix_power(c[:, :2], -3), [C])],
    np.linalg.eigh: [
        (lambda c: np.linalg.eigh(c @ c.T).eigenvectors ** 2, [C]),
        (lambda c: np.linalg.eigh(c.T @ c)[0], [C]),
    ],
    np.linalg.eigvalsh: [(lambda c: np.linalg.eigvalsh(c @ c.T, "U"), [C])],
    np.linalg.svd: [
        (lambda c: np.linalg.svd(c, full_matrices=False).U ** 2, [C]),
        (lambda c: np.linalg.svd(c, False)[1], [C]),
    ],
    np.linalg.multi_dot: [(lambda a, c, b: np.linalg.multi_dot([b, c.T, a]), [A, C, B])],
}

UFUNC_SAMPLES = {
    np.cbrt: [C],
    np.deg2rad: [C],
    np.radians: [C],
    np.rad2deg: [C],
    np.degrees: [C],
    np.copysign: [C, C[::-1]],
    np.fmax: [C, A],
    np.fmin: [C, A],
    np.heaviside: [C, A],
    scipy.special.erfc: [C],
    scipy.special.gammaln: [A],
    scipy.special.psi: [A],
    scipy.special.xlogy: [C, A],
    scipy.special.logit: [A / 3],
    np.add: [A, C],
    np.subtract: [A, B],
    np.multiply: [C, B],
    np.true_divide: [C, A],
    np.negative: [C],
    np.positive: [C],
    np.power: [A, C],
    np.square: [C],
    np.reciprocal: [A],
    np.exp: [C],
    np.log: [A],
    np.sqrt: [A],
    np.absolute: [C],
    np.tanh: [C],
    np.sin: [C],
    np.cos: [C],
    np.tan: [C],
    np.arcsin: [C / 3],
    np.arccos: [C / 3],
    np.arctan: [C],
    np.sinh: [C],
    np.cosh: [C],
    np.arcsinh: [C],
    np.arccosh: [A + 1],
    np.arctanh: [C / 3],
    np.arctan2: [C, A],
    np.hypot: [C, A],
    np.exp2: [C],
    np.log2: [A],
    np.log10: [A],
    np.logaddexp: [A, C],
    np.logaddexp2: [A, C],
    np.remainder: [C * 3, A],
    np.fmod: [C * 3, A],
    np.floor: [C],
    np.ceil: [C],
    np.trunc: [C],
    np.rint: [C],
    np.sign: [C],
    np.floor_divide: [C * 3, A],
    np.maximum: [A, C],
    np.minimum: [A, C],
    np.matmul: [A, C.T],
    np.expm1: [C],
    np.log1p: [A],
    scipy.special.erf: [C],
    scipy.special.expit: [C],
    scipy.special.log_expit: [C],
}


def test_every_table_entry_has_a_sample():
    """An entry added to FUNCTIONS or UFUNCS needs a sample here (value and gradient are then checked)."""
    assert set(FUNCTION_SAMPLES) == set(FUNCTIONS)
    assert set(UFUNC_SAMPLES) == set(UFUNCS)


def _check(call, inputs):
    expected = call(*inputs)
    got = call(*[Value(x) for x in inputs])
    assert isinstance(got, Value), f"{call} gave {type(got).__name__}, not a recorded Value"
    np.testing.assert_allclose(got.data, expected, rtol=1e-12, atol=1e-12)
    assert got.shape == np.shape(expected)
    gradcheck(call, inputs)


@pytest.mark.parametrize("func", list(FUNCTION_SAMPLES), ids=lambda f: f.__name__)
def test_numpy_functions_on_values_are_recorded_ops(func):
    for call, inputs in FUNCTION_SAMPLES[func]:
        _check(call, inputs)


@pytest.mark.parametrize("ufunc", list(UFUNC_SAMPLES), ids=lambda f: f.__name__)
def test_ufuncs_on_values_are_recorded_ops(ufunc):
    inputs = UFUNC_SAMPLES[ufunc]
    _check(lambda *xs: ufunc(*xs), inputs)
    if ufunc.nin == 2:  # the array on the left, the Value on the right: ndarray (op) Value is recorded
        x = Value(inputs[1])
        out = ufunc(inputs[0], x)
        assert isinstance(out, Value) and out.requires_grad
        np.testing.assert_allclose(out.data, ufunc(*inputs), rtol=1e-12)
        if ufunc is not np.matmul:  # ufunc.outer(a, b) is ufunc(a[:, None], b), value and gradient
            a, b = Value(inputs[0].ravel()[:3]), Value(inputs[1].ravel()[:2])
            outer, broadcast = ufunc.outer(a, b), ufunc(a.reshape(3, 1), b)
            np.testing.assert_array_equal(outer.data, broadcast.data)
            for g, h in zip(ag.gradients(outer.sum(), [a, b]), ag.gradients(broadcast.sum(), [a, b])):
                np.testing.assert_array_equal(g.data, h.data)


@pytest.mark.parametrize("ufunc", list(REDUCTIONS), ids=lambda f: f.__name__)
def test_ufunc_reduce(ufunc):
    _check(lambda c: ufunc.reduce(c), [C])
    _check(lambda c: ufunc.reduce(c, axis=1, keepdims=True), [C])


def test_operators_with_an_array_on_the_left_give_recorded_values():
    x = Value(np.array([1.0, 2.0]))
    a = np.array([3.0, 4.0])
    for out in (a + x, a - x, a * x, a / x, a**x, a @ x, np.float64(2.0) * x, np.float32(2.0) + x):
        assert isinstance(out, Value) and out.requires_grad
    (a * x + a / x).sum().backward()
    np.testing.assert_allclose(x.grad, a - a / x.data**2)
    assert type(a < x) is np.ndarray and (a > x).dtype == bool


def test_container_of_values_is_differentiated_through():
    """The issue's example: ag.mean([x, x + 2]) has gradient 1, not 0."""
    x = Value(1.5)
    y = ag.mean([x, x + 2])
    y.backward()
    assert y.item() == 2.5 and x.grad == 1.0
    x.zero_grad()
    np.mean(ag.as_value([x, x * 3])).backward()
    assert x.grad == 2.0


@pytest.mark.parametrize(
    "call",
    [
        lambda v: np.unwrap(v),
        lambda v: np.gradient(v),
        lambda v: np.convolve(v, v),
        lambda v: np.trapezoid(v),
        lambda v: np.ediff1d(v),
        lambda v: np.add.accumulate(v),
        lambda v: np.exp(v, dtype=np.float32),
        lambda v: np.add(v, v, where=v.data > 0),
        lambda v: np.sum(v, where=v.data > 0),
        lambda v: np.pad(v, 1, mode="edge"),
        lambda v: np.full(3, v),
        lambda v: np.sum([v, v]),
        lambda v: np.mean((v, 1.0)),
        lambda v: np.stack([[v[0], v[1]], np.ones(2)]),
    ],
)
def test_numpy_functions_we_lack_refuse_naming_the_function(call):
    v = Value(np.array([0.5, 1.5]))
    with pytest.raises(NotDifferentiableError, match=r"numpy\."):
        call(v)


def test_writing_into_a_plain_array_refuses():
    v = Value(np.ones(2))
    a = np.zeros(2)
    with pytest.raises(NotDifferentiableError, match="out="):
        a += v
    with pytest.raises(NotDifferentiableError, match="out="):
        np.sum(v, out=np.zeros(()))
    np.testing.assert_array_equal(a, [0.0, 0.0])


def test_constant_functions_and_ufuncs_run_on_the_data():
    v = Value(np.array([[0.5, -1.5], [2.0, 0.0]]))
    assert np.shape(v) == (2, 2) and np.ndim(v) == 2 and np.size(v) == 4
    assert np.argmax(v) == 2 and np.count_nonzero(v) == 3 and np.allclose(v, v.data)
    np.testing.assert_array_equal(np.zeros_like(v), np.zeros((2, 2)))
    np.testing.assert_array_equal(np.isfinite(v), [[True, True], [True, True]])
    for f in (np.signbit, np.isnan, np.greater):
        assert f in CONSTANT_UFUNCS
    assert np.argsort in CONSTANT_FUNCTIONS and type(np.argsort(v)) is np.ndarray
    assert np.shape([v, v]) == (2, 2, 2)  # a shape has no gradient: the list may be converted


def test_plain_arrays_stay_explicit_and_asarray_keeps_working():
    v = Value(np.array([1.0, 2.0]))
    assert type(np.asarray(v)) is np.ndarray and np.shares_memory(np.asarray(v), v.data)  # no copy
    np.testing.assert_array_equal(np.asarray([v, v]), [[1, 2], [1, 2]])  # an explicit conversion
    c = np.array(v)
    c[0] = 5.0  # np.array copies
    assert v.data[0] == 1.0
    assert np.asarray(v, dtype=np.float32).dtype == np.float32


def test_matplotlib_plots_values():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    v = Value(np.linspace(0.0, 1.0, 5))
    fig, ax = plt.subplots()
    try:
        (line,) = ax.plot(v, v * 2)
        ax.scatter(v, v)
        ax.hist(v)
        ax.imshow(ag.stack([v, v]))
        np.testing.assert_array_equal(line.get_ydata(), v.data * 2)
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_value_of_a_list_holding_values_that_require_grad_refuses():
    x = Value(1.0)
    with pytest.raises(NotDifferentiableError, match=r"ag\.as_value"):
        Value([x, 2.0])
    with pytest.raises(NotDifferentiableError):
        Value([[x], [x]])
    with pytest.raises(NotDifferentiableError):
        x.data = [Value(3.0)]
    assert Value([Value(1.0, requires_grad=False), 2.0]).tolist() == [1.0, 2.0]  # nothing to lose
    w = ag.as_value([[x, 2.0], [3.0, x]])
    w.sum().backward()
    assert x.grad == 2.0
