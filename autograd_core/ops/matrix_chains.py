"""Products of several matrices, written with matmul and inv (so every order of derivative follows):

- ``matrix_power(A, n)``: ``A^n`` by repeated squaring, multiplied in numpy's order (the same bits as
  ``numpy.linalg.matrix_power``); ``n < 0`` is ``inv(A)^|n|`` (numpy's and PyTorch's); ``n = 0`` is the
  identity, still recorded on A with gradient exactly 0 (PyTorch's);
- ``multi_dot(arrays)``: the chain product in the cheapest order, chosen as numpy's ``multi_dot`` does
  (the textbook matrix-chain dynamic programme, Cormen et al., ch. 15.2; ties go to the split numpy
  takes), with a 1-D first argument read as a row and a 1-D last one as a column.
"""

import numpy as np

from ..errors import ShapeError
from .decompositions import inv
from .elementwise import where
from .linalg import matmul
from .registry import as_operand
from .shape import as_value, reshape


def _data(x):
    return np.asarray(getattr(x, "_data", x))


def matrix_power(a, n):
    """``A^n`` for square matrices in the last two axes (batched over the leading ones), as
    ``torch.linalg.matrix_power`` and ``numpy.linalg.matrix_power``; ``n`` an int, negative for powers
    of the inverse, 0 for the identity (gradient 0). Same dtype as A (integer A with n >= 0 stays
    integer). **Gradient:** through the products (and ``inv``'s rule for n < 0).
    **Raises:** TypeError for a non-int n; ShapeError for non-square input; LinAlgError for a singular A
    with n < 0."""
    a = as_value(as_operand(a, "matrix_power"))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"matrix_power: the exponent must be an int, got {n!r}")
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"matrix_power: needs square matrices in the last two axes, got shape {a.shape}")
    if n == 0:
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
        return where(np.ones(a.shape, bool), eye, a)
    if n < 0:
        a, n = inv(a), -int(n)
    if n <= 3:  # numpy's small cases
        out = a
        for _ in range(n - 1):
            out = matmul(out, a)
        return out
    square, result = None, None
    while n > 0:  # numpy's binary decomposition: result @ a^(2^k) for each set bit k
        square = a if square is None else matmul(square, square)
        n, bit = divmod(n, 2)
        if bit:
            result = square if result is None else matmul(result, square)
    return result


def _chain_order(dims):
    """``split[i][j]``: where the cheapest product of matrices i..j splits (numpy's programme)."""
    n = len(dims) - 1
    cost = np.zeros((n, n))
    split = np.zeros((n, n), dtype=int)
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i, j] = np.inf
            for k in range(i, j):
                c = cost[i, k] + cost[k + 1, j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i, j]:
                    cost[i, j], split[i, j] = c, k
    return split


def _multiply(mats, split, i, j):
    if i == j:
        return mats[i]
    k = split[i, j]
    return matmul(_multiply(mats, split, i, k), _multiply(mats, split, k + 1, j))


def multi_dot(arrays, *, out=None):
    """The product ``A_1 @ A_2 @ ... @ A_k`` of two or more 2-D arrays in the order that costs the fewest
    multiplications (numpy's and ``torch.linalg.multi_dot``'s choice); the first may be 1-D (a row) and
    the last 1-D (a column), and the result then drops that axis, as numpy. Result dtype as matmul's.
    **Gradient:** through the products. **Raises:** ShapeError for fewer than two arrays, arrays that
    are not 2-D (1-D at the ends) or sizes that do not chain; TypeError for ``out`` (a Value's result
    cannot be written into an array)."""
    if out is not None:
        raise TypeError("multi_dot: out= is not supported (the result is a new Value); assign the result")
    mats = [as_value(as_operand(m, "multi_dot")) for m in arrays]
    if len(mats) < 2:
        raise ShapeError(f"multi_dot: needs at least two arrays, got {len(mats)}")
    row, col = mats[0].ndim == 1, mats[-1].ndim == 1
    if row:
        mats[0] = reshape(mats[0], shape=(1, -1))
    if col:
        mats[-1] = reshape(mats[-1], shape=(-1, 1))
    for m in mats:
        if m.ndim != 2:
            raise ShapeError(f"multi_dot: needs 2-D arrays (1-D only first or last), got shapes {_shapes(arrays)}")
    dims = [mats[0].shape[0]] + [m.shape[1] for m in mats]
    if any(m.shape[0] != d for m, d in zip(mats[1:], dims[1:-1])):
        raise ShapeError(f"multi_dot: shapes {_shapes(arrays)} do not chain")
    product = _multiply(mats, _chain_order(dims), 0, len(mats) - 1)
    if not (row or col):
        return product
    return reshape(product, shape=tuple(s for s, drop in zip(product.shape, (row, col)) if not drop))


def _shapes(arrays):
    return [np.shape(_data(m)) for m in arrays]
