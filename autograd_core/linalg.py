"""``autograd_core.linalg``: the linear-algebra namespace, as ``torch.linalg`` and ``numpy.linalg``.

Norms live in ops/norms.py, the matrix functions (inv, det, slogdet, solve, cholesky, qr, svdvals)
in ops/decompositions.py, with the source of each gradient rule; matrix_power and multi_dot in
ops/matrix_chains.py; eigh, eigvalsh and svd in ops/spectral.py; the vector products in ops/products.py. ``autograd_core.det``, ``.slogdet``, ``.inverse``, ``.cross``, ``.dot`` and
friends are the same functions at the top level, where numpy or PyTorch has them there. The matrix
trace is ``linalg.trace`` and ``Value.trace()``: ``autograd_core.trace`` is the graph tracer.
"""

from .ops.decompositions import cholesky, det, inv, qr, slogdet, solve, svdvals
from .ops.diagonals import diagonal, trace
from .ops.linalg import matmul, tensordot
from .ops.matrix_chains import matrix_power, multi_dot
from .ops.norms import matrix_norm, norm, vector_norm
from .ops.products import cross, dot, inner, outer, vdot
from .ops.pseudoinverse import lstsq, pinv
from .ops.spectral import eigh, eigvalsh, svd

vecdot = vdot

__all__ = [
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "dot",
    "eigh",
    "eigvalsh",
    "inner",
    "inv",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "multi_dot",
    "norm",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "trace",
    "vdot",
    "vecdot",
    "vector_norm",
]
