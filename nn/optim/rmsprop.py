"""RMSprop (Hinton's lecture 6e), centred and with momentum, following PyTorch's formulas."""

import numpy as np

from .optimizer import Optimizer, _check_nonneg


class RMSprop(Optimizer):
    """``v = alpha*v + (1-alpha)*g^2``; centred subtracts the squared running mean; ``p -= lr * g / (sqrt(v) + eps)``."""

    _tensor_state = ("square_avg", "momentum_buffer", "grad_avg")
    _scalar_state = ("step",)

    def __init__(
        self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False, *, maximize=False
    ):
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_options(self, options, where):
        super()._check_options(options, where)
        _check_nonneg(options, where, "eps", "momentum", "weight_decay", "alpha")

    def _required_state(self, group):
        keys = ("step", "square_avg")
        keys += ("momentum_buffer",) if group["momentum"] > 0 else ()
        return keys + (("grad_avg",) if group["centered"] else ())

    def _update(self, param, grad, state, group):
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        if not state:
            state["step"] = 0.0
            state["square_avg"] = np.zeros_like(param)
            if momentum > 0:
                state["momentum_buffer"] = np.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param)
        state["step"] += 1.0
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        square_avg = grad * grad
        square_avg *= 1 - alpha
        square_avg += alpha * state["square_avg"]
        state["square_avg"] = square_avg
        if group["centered"]:
            old_avg = state["grad_avg"]
            grad_avg = grad - old_avg  # torch's lerp: old + (1 - alpha) * (grad - old)
            grad_avg *= 1 - alpha
            grad_avg += old_avg
            state["grad_avg"] = grad_avg
            avg = square_avg - grad_avg * grad_avg
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(square_avg)
        avg += eps
        if momentum > 0:
            buf = momentum * state["momentum_buffer"]
            buf += grad / avg
            state["momentum_buffer"] = buf
            update = buf * group["lr"]
        else:
            update = np.divide(grad, avg, out=avg)
            update *= group["lr"]
        return np.subtract(param, update, out=update)
