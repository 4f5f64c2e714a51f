"""Value's method forms of sorting, selection, gathering and scattering (``x.sort(1)``,
``x.gather(1, idx)``, ``x.masked_fill(m, 0.0)``), named and ordered as PyTorch's Tensor methods.

These functions take the Value first, so each is bound as it is: ``x.topk(2)`` *is*
``ag.topk(x, 2)``, one code path and one docstring. operators.py binds them onto Value.
"""

from .ops.gather import (
    gather,
    index_put,
    index_select,
    masked_fill,
    masked_select,
    scatter,
    scatter_add,
    take,
    take_along_axis,
)
from .ops.selection import all_, any_, argmax, argmin, argsort, kthvalue, sort, topk

METHODS = {
    "sort": sort,
    "argsort": argsort,
    "topk": topk,
    "kthvalue": kthvalue,
    "argmax": argmax,
    "argmin": argmin,
    "all": all_,
    "any": any_,
    "gather": gather,
    "take_along_axis": take_along_axis,
    "take_along_dim": take_along_axis,
    "scatter": scatter,
    "scatter_add": scatter_add,
    "index_put": index_put,
    "index_select": index_select,
    "take": take,
    "masked_fill": masked_fill,
    "masked_select": masked_select,
}
