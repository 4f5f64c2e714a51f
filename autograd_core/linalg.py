"""``autograd_core.linalg``: the linear-algebra namespace, as ``torch.linalg`` and ``numpy.linalg``.

Norms (``norm``, ``vector_norm``, ``matrix_norm``) live in ops/norms.py. Every function here is also
reachable as ``autograd_core.<name>`` where numpy or PyTorch has it at the top level.
"""

from .ops.norms import matrix_norm, norm, vector_norm

__all__ = ["matrix_norm", "norm", "vector_norm"]
