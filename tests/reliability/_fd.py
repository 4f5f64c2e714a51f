"""A tiny central-difference reference, independent of autograd_core.gradcheck, for these tests."""

import numpy as np

from autograd_core import Value


def numeric_grads(f, arrays, eps=1e-6):
    """d sum(f(*arrays)) / d arrays by central differences in float64 (f takes and returns Values)."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]

    def scalar(arrs):
        out = f(*[Value(a, requires_grad=False) for a in arrs])
        return float(np.sum(out.data))

    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [x.copy() for x in arrays]
            minus = [x.copy() for x in arrays]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            g[idx] = (scalar(plus) - scalar(minus)) / (2 * eps)
        grads.append(g)
    return grads


def analytic_grads(f, arrays):
    leaves = [Value(np.array(a, dtype=np.float64)) for a in arrays]
    out = f(*leaves)
    out.sum().backward()
    return [x.grad if x.grad is not None else np.zeros(x.shape) for x in leaves]


def assert_matches_fd(f, *arrays, rtol=1e-5, atol=1e-6):
    for k, (a, n) in enumerate(zip(analytic_grads(f, arrays), numeric_grads(f, arrays))):
        np.testing.assert_allclose(a, n, rtol=rtol, atol=atol, err_msg=f"input {k}")
