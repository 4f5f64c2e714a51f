"""numpy's rearranging, triangle, diagonal and ``numpy.linalg`` functions with numpy's signatures,
written with our recorded ops (for numpy_dispatch.py; the other adapters are in numpy_api.py).

Where numpy's semantics differ from the ``ag`` function of the same name they are kept here:
``np.split`` (sections must divide evenly; lists of pieces), ``np.meshgrid`` (``'xy'`` by default),
``np.linalg.solve`` (only a 1-D ``b`` is a vector).
"""

import numpy as np

from .errors import ShapeError
from .numpy_api import refuse
from .ops import spectral
from .ops.arrange import flip, meshgrid, repeat, roll, tensor_split, tile
from .ops.decompositions import cholesky, qr, slogdet, solve, solve_op, svdvals
from .ops.diagonals import diag, diagonal, trace, tril, triu
from .ops.norms import matrix_norm, vector_norm
from .ops.products import cross, vdot
from .ops.registry import as_operand


def np_flip(m, axis=None):
    """``numpy.flip`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return flip(m, axis=axis)


def np_roll(a, shift, axis=None):
    """``numpy.roll`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return roll(a, shift=shift, axis=axis)


def np_repeat(a, repeats, axis=None):
    """``numpy.repeat`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return repeat(a, repeats, axis)


def np_tile(A, reps):
    """``numpy.tile`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return tile(A, reps)


def np_split(ary, indices_or_sections, axis=0):
    """numpy's split: an int must divide the axis evenly; a list gives split points. A list of pieces."""
    ary = as_operand(ary, "split")
    if isinstance(indices_or_sections, (int, np.integer)):
        n = np.shape(getattr(ary, "_data", ary))[axis] if np.ndim(getattr(ary, "_data", ary)) else 0
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ShapeError(f"split: {indices_or_sections} sections do not divide an axis of length {n} evenly")
    return list(tensor_split(ary, indices_or_sections, axis))


def np_array_split(ary, indices_or_sections, axis=0):
    """``numpy.array_split`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return list(tensor_split(ary, indices_or_sections, axis))


def np_tril(m, k=0):
    """``numpy.tril`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return tril(m, k)


def np_triu(m, k=0):
    """``numpy.triu`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return triu(m, k)


def np_diag(v, k=0):
    """``numpy.diag`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return diag(v, k)


def np_diagonal(a, offset=0, axis1=0, axis2=1):
    """``numpy.diagonal`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return diagonal(a, offset, axis1, axis2)


def np_trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """``numpy.trace`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    refuse("trace", dtype=dtype, out=out)
    return trace(a, offset, axis1, axis2)


def np_vdot(a, b, /):
    """``numpy.vdot`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return vdot(a, b)


def np_cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """``numpy.cross`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    refuse("cross", {"axisa": -1, "axisb": -1, "axisc": -1}, axisa=axisa, axisb=axisb, axisc=axisc)
    return cross(a, b, axis=-1 if axis is None else axis)


def np_meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """``numpy.meshgrid`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    refuse("meshgrid", {"sparse": False}, sparse=sparse)
    return list(meshgrid(*xi, indexing=indexing))


# -- numpy.linalg --------------------------------------------------------------------------------------
def np_linalg_solve(a, b):
    """numpy 2's rule: only a 1-D ``b`` is a vector; otherwise b is a stack of matrices (..., n, k)."""
    a, b = as_operand(a, "solve"), as_operand(b, "solve")
    if np.ndim(getattr(b, "_data", b)) == 1:
        return solve(a, b)
    return solve_op(a, b)


def np_linalg_cholesky(a, /, *, upper=False):
    """``numpy.linalg.cholesky`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return cholesky(a, upper)


def np_linalg_qr(a, mode="reduced"):
    """``numpy.linalg.qr`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return qr(a, mode)


def np_linalg_svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """``numpy.linalg.svd`` on Values, with numpy's signature (``compute_uv=False``: the singular values;
    ``hermitian`` refused): see :func:`.numpy_api.numpy_doc`."""
    refuse("linalg.svd", {"hermitian": False}, hermitian=hermitian)
    return spectral.svd(a, full_matrices) if compute_uv else svdvals(a)


def np_linalg_slogdet(a):
    """``numpy.linalg.slogdet`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return slogdet(a)


def np_linalg_matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002 (numpy's name)
    """``numpy.linalg.matrix_norm`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return matrix_norm(x, ord, keepdim=keepdims)


def np_linalg_vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002
    """``numpy.linalg.vector_norm`` on Values, with numpy's signature: see :func:`.numpy_api.numpy_doc`."""
    return vector_norm(x, ord, axis, keepdims)
