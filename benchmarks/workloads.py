"""The speed table's workloads, each on every engine that can run it.

``build(workload, engine)`` returns a :class:`Step`: ``step.run()`` does one timed unit of work
(a training step, or a forward and backward pass), and ``step.before`` (or None) runs untimed
before each one. Engines are imported only when asked for, so a worker process holds one engine.

Engines: ``ours`` (autograd_core's dynamic graph), ``traced`` (the same step under
``autograd_core.trace``), ``torch`` (PyTorch CPU, default threads), ``numpy`` (the hand-written
floor in floors.py) and ``micrograd`` (micrograd_ref.py, its cycles collected before each step).
"""

import gc
from collections.abc import Callable
from dataclasses import dataclass

import floors
import micrograd_ref
import numpy as np

SCALAR_SIZES, SCALAR_POINTS, SCALAR_LR = (2, 16, 16, 1), 32, 0.05
CHAIN, VECTOR_OPS, VECTOR = 5000, 50, 1000
MLP_SIZES = [(784, 256), (256, 128), (128, 10)]
LR = floors.LR


@dataclass
class Step:
    run: Callable
    before: Callable | None = None
    gc_off: bool = False  # time with the cyclic collector switched off (micrograd: cycles collected in `before`)


# -- scalar MLP 2-16-16-1 on 32 points: micrograd's demo, one scalar Value per weight -----------------
def scalar_data(n=SCALAR_POINTS, seed=0):
    rng = np.random.default_rng(seed)
    xs = rng.uniform(-1, 1, (n, 2))
    ys = np.sign(xs[:, 0] * xs[:, 1])
    return [[float(a) for a in row] for row in xs], [float(y) for y in ys]


def scalar_mlp_step(model, xs, ys, zero, update):
    """Zero the grads, mean squared error over the points, backward, SGD: one training step."""
    params = model.parameters()
    zero(params)
    loss = None
    for x, y in zip(xs, ys):
        d = model(x) - y
        loss = d * d if loss is None else loss + d * d
    loss = loss * (1.0 / len(xs))
    loss.backward()
    update(params)
    return loss


def _scalar_ours():
    from autograd_core import Value

    def update(params):
        for p in params:
            p.sub_(p.grad, alpha=SCALAR_LR)

    return micrograd_ref.MLP(SCALAR_SIZES, make=Value), _set_grad(None), update


def _scalar_torch():
    import torch

    def make(v):
        return torch.tensor(v, dtype=torch.float64, requires_grad=True)

    def update(params):
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad, alpha=SCALAR_LR)

    return micrograd_ref.MLP(SCALAR_SIZES, make=make), _set_grad(None), update


def _scalar_micrograd():
    def update(params):
        for p in params:
            p.data -= SCALAR_LR * p.grad

    return micrograd_ref.MLP(SCALAR_SIZES), _set_grad(0.0), update


def _set_grad(value):
    def zero(params):
        for p in params:
            p.grad = value

    return zero


def scalar_mlp(engine):
    makers = {"ours": _scalar_ours, "traced": _scalar_ours, "torch": _scalar_torch, "micrograd": _scalar_micrograd}
    model, zero, update = makers[engine]()
    xs, ys = scalar_data()

    def run():
        return scalar_mlp_step(model, xs, ys, zero, update)

    if engine == "traced":
        import autograd_core as ag

        return Step(ag.trace(run))
    if engine == "micrograd":
        return Step(run, before=gc.collect, gc_off=True)
    return Step(run)


# -- chains of elementwise ops: 5,000 on a scalar, 50 on a 1,000-vector -----------------------------
def _chain(x, n, tanh):
    for i in range(n):
        r = i % 3
        x = x * 0.999 if r == 0 else (x + 0.01 if r == 1 else tanh(x))
    return x


def chain_ours(x0, n):
    from autograd_core import Value

    x = Value(x0)
    y = _chain(x, n, Value.tanh)
    (y.sum() if y.ndim else y).backward()
    return x.grad


def chain_torch(x0, n):
    import torch

    x = torch.tensor(x0, requires_grad=True)
    y = _chain(x, n, torch.tanh)
    (y.sum() if y.ndim else y).backward()
    return x.grad


def chain(engine, x0, n):
    fn = {"ours": chain_ours, "torch": chain_torch, "numpy": floors.chain_numpy}[engine]
    return Step(lambda: fn(x0, n))


# -- nn training steps: MLP 784-256-128-10, small CNN ---------------------------------------------------
def nn_batch(shape, seed=0):
    """A float32 batch and integer targets, read-only as nn.DataLoader yields them."""
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(shape).astype(np.float32), rng.integers(0, 10, shape[0])
    x.flags.writeable = y.flags.writeable = False
    return x, y


def ours_mlp(rng):
    import nn

    layers = []
    for k, (i, o) in enumerate(MLP_SIZES):
        layers += [nn.Linear(i, o, rng=rng)] + ([nn.ReLU()] if k < len(MLP_SIZES) - 1 else [])
    return nn.Sequential(*layers)


def ours_cnn(rng):
    import nn

    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(784, 10, rng=rng),
    )


def ours_train_step(model):
    """zero_grad, cross-entropy, backward, SGD step: the loop body a user writes."""
    import nn
    import nn.functional as F

    opt = nn.optim.SGD(model.parameters(), lr=LR)

    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def torch_models():
    import torch.nn as tnn

    layers = []
    for k, (i, o) in enumerate(MLP_SIZES):
        layers += [tnn.Linear(i, o)] + ([tnn.ReLU()] if k < len(MLP_SIZES) - 1 else [])
    cnn = tnn.Sequential(
        tnn.Conv2d(1, 8, 3, padding=1),
        tnn.ReLU(),
        tnn.MaxPool2d(2),
        tnn.Conv2d(8, 16, 3, padding=1),
        tnn.ReLU(),
        tnn.MaxPool2d(2),
        tnn.Flatten(),
        tnn.Linear(784, 10),
    )
    return tnn.Sequential(*layers), cnn


def torch_train_step(model):
    import torch

    opt = torch.optim.SGD(model.parameters(), lr=LR)
    lossf = torch.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        loss = lossf(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def nn_step(engine, kind, shape):
    x, y = nn_batch(shape)
    rng = np.random.default_rng(1)
    if engine == "numpy":
        floor = floors.NumpyMLP(MLP_SIZES, rng) if kind == "mlp" else floors.NumpyCNN(rng)
        return Step(lambda: floor.step(x, y))
    if engine == "torch":
        import torch

        mlp, cnn = torch_models()
        step = torch_train_step(mlp if kind == "mlp" else cnn)
        tx, ty = torch.from_numpy(x.copy()), torch.from_numpy(y.copy())
        return Step(lambda: step(tx, ty))
    step = ours_train_step(ours_mlp(rng) if kind == "mlp" else ours_cnn(rng))
    if engine == "traced":
        import autograd_core as ag

        step = ag.trace(step)
    return Step(lambda: step(x, y))


# -- the table's rows -------------------------------------------------------------------------------
WORKLOADS = {
    "scalar_mlp": (("ours", "traced", "torch", "micrograd"), scalar_mlp),
    "chain": (("ours", "torch", "numpy"), lambda e: chain(e, np.array(0.5), CHAIN)),
    "vector_ops": (
        ("ours", "torch", "numpy"),
        lambda e: chain(e, np.random.default_rng(0).uniform(-1, 1, VECTOR), VECTOR_OPS),
    ),
    "mlp16": (("ours", "traced", "torch", "numpy"), lambda e: nn_step(e, "mlp", (16, 784))),
    "mlp128": (("ours", "traced", "torch", "numpy"), lambda e: nn_step(e, "mlp", (128, 784))),
    "mlp1024": (("ours", "traced", "torch", "numpy"), lambda e: nn_step(e, "mlp", (1024, 784))),
    "cnn": (("ours", "traced", "torch", "numpy"), lambda e: nn_step(e, "cnn", (64, 1, 28, 28))),
}


def build(workload, engine):
    engines, make = WORKLOADS[workload]
    if engine not in engines:
        raise ValueError(f"workload {workload!r} has no {engine!r} engine (it has {engines})")
    return make(engine)
