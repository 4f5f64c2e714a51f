"""eval_mode: evaluate a model without recording a graph, leaving its train/eval flags as they were."""

import contextlib

from autograd_core import no_grad

__all__ = ["eval_mode"]


@contextlib.contextmanager
def eval_mode(model):
    """``with nn.eval_mode(model):`` runs the block with ``model.eval()`` and ``no_grad()``, then
    restores every submodule's own ``training`` flag (a model with a frozen, eval-mode part stays so)
    and the previous grad mode, also when the block raises.

    model: an :class:`nn.Module` (anything with ``modules()`` and ``eval()``), or any other callable
    (then only ``no_grad`` applies).
    Yields ``model``. Dropout is then the identity and batch norm uses its running statistics.
    """
    modes = [(m, m.training) for m in model.modules()] if hasattr(model, "modules") else []
    try:
        if modes:
            model.eval()
        with no_grad():
            yield model
    finally:
        for m, mode in modes:
            m.training = mode
