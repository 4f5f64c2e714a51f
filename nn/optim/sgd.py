"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (PyTorch's formulas)."""

import numpy as np

from .optimizer import Optimizer, _check_nonneg


class SGD(Optimizer):
    """``g = grad + wd*p; b = mu*b + (1-dampening)*g (b = g at the first step); p -= lr * (g + mu*b if nesterov else b)``."""

    _tensor_state = ("momentum_buffer",)

    def __init__(
        self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, *, maximize=False
    ):
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_options(self, options, where):
        super()._check_options(options, where)
        _check_nonneg(options, where, "momentum", "weight_decay")
        if options.get("nesterov") and (options.get("momentum", 0) <= 0 or options.get("dampening", 0) != 0):
            raise ValueError(f"Nesterov momentum requires a momentum and zero dampening ({where})")

    def _update(self, param, grad, state, group):
        wd, momentum = group["weight_decay"], group["momentum"]
        if wd != 0:
            grad = grad + wd * param
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = grad.copy()
            else:
                buf = momentum * buf
                buf += (1 - group["dampening"]) * grad
            state["momentum_buffer"] = buf
            grad = grad + momentum * buf if group["nesterov"] else buf
        update = grad * group["lr"]  # a fresh array: the subtraction below writes into it, never into state
        return np.subtract(param, update, out=update)
