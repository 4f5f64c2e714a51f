"""Value's method forms of rearranging, triangles and diagonals, and matrix functions (``x.flip(0)``,
``x.tril()``, ``x.det()``), named and ordered as PyTorch's Tensor methods (numpy's where PyTorch has
none). Functions taking the Value first are bound as they are; operators.py binds them onto Value.
"""

import numpy as np

from .ops.arrange import chunk, flip, fliplr, flipud, moveaxis, repeat, roll, split, tensor_split, tile
from .ops.decompositions import cholesky, det, inv, qr, slogdet
from .ops.diagonals import diag, diag_embed, diagonal, trace, tril, triu
from .ops.joining import kron, ravel
from .ops.products import cross, dot, inner, outer, vdot


def _repeat(self, *sizes):
    """PyTorch's ``Tensor.repeat(*sizes)``: copies along each axis, i.e. :func:`autograd_core.tile`.

    numpy's ``ndarray.repeat`` (each entry repeated) is ``repeat_interleave`` here, and
    ``autograd_core.repeat`` / ``np.repeat`` as functions.
    """
    return tile(self, sizes[0] if len(sizes) == 1 and not isinstance(sizes[0], (int, np.integer)) else sizes)


def _repeat_interleave(self, repeats, dim=None):
    """PyTorch's ``repeat_interleave``: each entry ``repeats`` times along ``dim`` (None: flattened)."""
    return repeat(self, repeats, dim)


def _tile(self, *reps):
    """x copied ``reps`` times along each axis (reps as a tuple or separate ints); see ``autograd_core.tile``."""
    return tile(self, reps[0] if len(reps) == 1 and not isinstance(reps[0], (int, np.integer)) else reps)


def _det(self):
    """The determinant of each matrix in the last two axes (gradient ``det * A^{-T}``); see ``autograd_core.det``."""
    return det(self)


def _inverse(self):
    """The inverse of each matrix in the last two axes (gradient ``-A^{-T} g A^{-T}``); see ``linalg.inv``."""
    return inv(self)


METHODS = {
    "flip": flip,
    "fliplr": fliplr,
    "flipud": flipud,
    "roll": roll,
    "moveaxis": moveaxis,
    "movedim": moveaxis,
    "repeat": _repeat,
    "repeat_interleave": _repeat_interleave,
    "tile": _tile,
    "split": split,
    "tensor_split": tensor_split,
    "chunk": chunk,
    "tril": tril,
    "triu": triu,
    "diagonal": diagonal,
    "diag": diag,
    "diag_embed": diag_embed,
    "trace": trace,
    "outer": outer,
    "inner": inner,
    "dot": dot,
    "vdot": vdot,
    "cross": cross,
    "det": _det,
    "slogdet": slogdet,
    "inverse": _inverse,
    "cholesky": cholesky,
    "qr": qr,
    "ravel": ravel,
    "kron": kron,
}
