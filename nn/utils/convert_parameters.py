"""Parameters as one flat vector and back (``torch.nn.utils.parameters_to_vector`` / ``vector_to_parameters``)."""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value

from .clip_grad import _params

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters):
    """Every parameter flattened (C order) and concatenated, in iteration order: a 1-D Value.

    Recorded like any other op, so a loss of the vector sends gradients back to the parameters.
    Raises ValueError for no parameters.
    """
    params = _params(parameters)
    if not params:
        raise ValueError("parameters_to_vector: no parameters given")
    return ag.concatenate([ag.reshape(p, (-1,)) for p in params])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D ``vec`` into ``parameters`` (each reshaped to its parameter's shape).

    ``vec``: a 1-D Value or array whose length is the total parameter count, cast to each parameter's
    dtype. The parameters' data is replaced (not recorded: as PyTorch's ``param.data = ...``). Raises
    TypeError for a non-array ``vec`` and ShapeError for a wrong shape or length, before any parameter
    changes.
    """
    if not isinstance(vec, (Value, np.ndarray)):
        raise TypeError(f"vector_to_parameters: expected vec to be a Value or an ndarray, got {type(vec).__name__}")
    data = vec.data if isinstance(vec, Value) else vec
    params = _params(parameters)
    total = sum(p.data.size for p in params)
    if data.ndim != 1 or data.size != total:
        raise ShapeError(
            f"vector_to_parameters: vec has shape {data.shape}; expected a 1-D vector of length {total} "
            f"(the parameters' total element count)"
        )
    start = 0
    for p in params:
        n = p.data.size
        p.data = data[start : start + n].reshape(p.shape).astype(p.data.dtype)
        start += n
