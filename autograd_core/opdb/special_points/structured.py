"""Special points of linear layers, shape ops, products, scans, statistics, norms and linear algebra."""

import numpy as np

from .point import INF, add, array, edges, jac, linear_point, torch_point

# -- linear algebra ----------------------------------------------------------------------------
_Z = np.zeros((2, 2))
_E = array([[0, INF], [1, 2]])
add("matmul", torch_point([_Z, _E]), torch_point([_E, _Z]))
add("tensordot", torch_point([_Z, _E], axes=([1], [0])))
add("einsum", torch_point([_Z, _E], subscripts="ij,jk->ik"))
add("linear", torch_point([_Z, _E, array([0, INF])]))
add("linear_nobias", torch_point([_Z, _E]))

# -- shape ops: linear, so inf and NaN data never reach the gradient -----------------------------
add("reshape", linear_point([edges(2, 2)], shape=(4,)))
add("transpose", linear_point([edges(2, 3)], axes=(1, 0)))
add("swapaxes", linear_point([edges(2, 3)], a=0, b=1))
add("broadcast_to", linear_point([edges(1, 4)], shape=(2, 4)))
add("squeeze", linear_point([edges(4, 1)], axis=1))
add("unsqueeze", linear_point([edges(4)], axis=0))
add("flatten", linear_point([edges(2, 2)], start_dim=0, end_dim=-1))
add("concatenate", linear_point([edges(2), edges(3)], axis=0))
add("stack", linear_point([edges(4), edges(4)], axis=0))
add("pad", linear_point([edges(4)], pad_width=((1, 2),), value=INF))
add("getitem", linear_point([edges(4)], index=(np.array([0, 0, 3]),)))
add("index_put", linear_point([edges(4), edges(3)], index=(np.array([0, 2, 0]),)))
add("scatter_add", linear_point([edges(3)], shape=(4,), index=(np.array([0, 0, 3]),)))
add(
    "sliding_windows",
    linear_point([edges(5)], window_shape=(2,), axes=(0,), stride=(1,), dilation=(1,)),
)
add("fold", linear_point([edges(4, 2)], shape=(5,), window_shape=(2,), axes=(0,), stride=(1,), dilation=(1,)))

# -- products, scans, statistics, norms (PyTorch handles their zeros right) -----------------------------
add(
    "logcumsumexp",
    torch_point([array([[-1000, 0, 1000], [5, 5, 5]])], why="terms 2000 apart (one max would underflow), ties", axis=1),
    jac(
        [array([-INF, -INF, 0])],
        [array([[0, 0, 0], [0, 0, 0], [0, 0, 1]])],
        array([-INF, -INF, 0]),
        why="a prefix of -inf: gradient 0 there (PyTorch gives NaN)",
        axis=0,
    ),
)
add("cumsum", linear_point([edges(2, 4)], axis=1))
add("cumprod", torch_point([array([[0, 2, 0, 3], [2, 0, 5, 1]])], axis=1, why="zeros: products of the others"))
add(
    "prod",
    torch_point([array([[0, 2, 3], [0, 0, 5], [1, 2, 3]])], axis=1, keepdims=False, why="one zero, several zeros"),
)
add(
    "var",
    torch_point([np.full((3, 2), 7.0)], axis=0, keepdims=False, correction=1, why="zero variance"),
)
add(
    "std",
    torch_point([np.full((3, 2), 7.0)], axis=0, keepdims=False, correction=1, why="zero spread: 0, not 0 / 0"),
    torch_point([np.zeros((2, 2))], axis=None, keepdims=False, correction=0),
)
add(
    "vector_norm",
    *(
        torch_point([array([[0, 0, 0], [3, -4, 0]])], ord=o, axis=1, keepdims=False, why="the zero vector")
        for o in (2, 1, 3)
    ),
    torch_point([array([[0, 0, 0], [3, -3, 1]])], ord=INF, axis=1, keepdims=False, why="ties at the maximum"),
)

# -- linear algebra: singular and pivoting inputs, zero and parallel vectors --------------------
add(
    "cross",
    torch_point([array([[0, 0, 0], [1, 2, 3]]), array([[1, 2, 3], [2, 4, 6]])], why="a zero vector, parallel vectors"),
    torch_point([array([[INF, 0, 0]]), array([[0, 1, 0]])], why="an infinite component"),
)
add(
    "det",
    jac(
        [array([[1, 2, 3], [2, 4, 6], [0, 1, 1]])],
        [[[-2, -2, 2], [1, 1, -1], [0, 0, 0]]],
        value=array(0.0),
        why="singular: the cofactors (PyTorch 2.13 gives 0 here)",
    ),
    torch_point([np.zeros((2, 2))], why="the zero matrix: adjugate 0"),
    torch_point([array([[0, 1], [1, 0]])], why="zero diagonal (pivoting)"),
)
add("logabsdet", torch_point([array([[0, 1], [1, 0]])], why="negative determinant, zero diagonal"))
add("inv", torch_point([array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])], why="a permutation: zero diagonal (pivoting)"))
add(
    "solve",
    torch_point([array([[0, 1], [1, 0]]), array([[0, 0], [1, 2]])], why="pivoting, a zero right-hand column"),
)
add("cholesky", torch_point([np.eye(3)], why="the identity: zeros off the diagonal"))
add("qr", torch_point([array([[2, 0], [0, -3], [0, 0]])], why="zeros below and beside a negative pivot"))
add(
    "pinv",
    torch_point([np.eye(3)], why="the identity: repeated singular values (no svd route needed)"),
    torch_point([array([[2, 0], [0, -3], [0, 0]])], why="zeros, a negative entry, a tall matrix"),
)
add("svdvals", torch_point([array([[2, 0], [0, -1], [0, 0]])], why="zeros, a negative entry"))
add(
    "eigh",
    torch_point([array([[2, 0, 0], [0, -1, 0], [0, 0, 0]])], why="diagonal: zeros in V, a zero eigenvalue"),
    torch_point([array([[0, 1], [1, 0]])], why="zero diagonal, eigenvalues -1 and 1"),
)
add(
    "svd",
    torch_point([array([[3, 0], [0, -1], [0, 0]])], why="zeros, a negative entry, a tall matrix"),
    torch_point([array([[0, 2, 0], [1, 0, 0]])], why="a wide permutation-like matrix"),
)
