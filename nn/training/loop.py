"""The training loop: ``fit`` with a tqdm progress bar, history, validation, callbacks and early stopping.

``fit(model, loss_fn, optimizer, (X, y), epochs=...)`` runs the usual step (zero_grad, forward,
loss, backward, step) over a shuffled DataLoader, averages the loss and metrics over each epoch
(weighted by batch size, so they equal the full-pass values), evaluates on validation data under
``no_grad`` in eval mode, and calls callbacks Keras-style. ``EarlyStopping`` watches a logged
quantity (``val_loss`` by default) and, with ``restore_best_weights``, loads the best epoch's
``state_dict`` back at the end. Validation data: ``val_data`` or ``validation_split`` (a seeded
random fraction of the training set is held out).
"""

import math
import sys

import numpy as np

from autograd_core import Value

from ..data import DataLoader, Dataset, TensorDataset, random_split
from ..modes import eval_mode
from .callbacks import Callback, EarlyStopping, History, LambdaCallback

__all__ = ["Callback", "EarlyStopping", "History", "LambdaCallback", "evaluate", "fit", "predict"]


# -- metrics -----------------------------------------------------------------------------------
def accuracy(output, target):
    """Fraction correct: argmax over classes, or logits > 0 for a single output column."""
    out = np.asarray(output)
    target = np.asarray(target)
    if out.ndim >= 2 and out.shape[1] > 1:
        pred = out.argmax(axis=1)
    else:
        pred = (out.reshape(len(out)) > 0).astype(np.int64)
        target = target.reshape(len(target))
    if target.ndim == pred.ndim + 1:  # one-hot or probability targets
        target = target.argmax(axis=1)
    return float(np.mean(pred == target))


METRICS = {"accuracy": accuracy, "acc": accuracy}


def _metric_fns(metrics):
    fns = {}
    for m in metrics or ():
        if callable(m):
            fns[getattr(m, "__name__", "metric")] = m
        elif m in METRICS:
            fns[m] = METRICS[m]
        else:
            raise ValueError(f"unknown metric {m!r}; use one of {sorted(METRICS)} or a callable (output, target)")
    return fns


class _Trainer:
    def __init__(self, model, optimizer, history):
        self.model = model
        self.optimizer = optimizer
        self.history = history
        self.stop_training = False


# -- data plumbing -----------------------------------------------------------------------------
def _dataset(data, what):
    """(X, y) arrays -> a TensorDataset; a Dataset, or a list of (x, y) samples, as it is (map-style)."""
    if isinstance(data, Dataset) or (
        hasattr(data, "__len__") and hasattr(data, "__getitem__") and not isinstance(data, (tuple, list, np.ndarray))
    ):
        return data
    samples = isinstance(data, (tuple, list)) and any(isinstance(d, (tuple, dict)) for d in data)
    if isinstance(data, (tuple, list)) and len(data) == 2 and not samples:
        return TensorDataset(*data)
    if samples:
        return data
    raise TypeError(f"{what}: expected (X, y), a Dataset or a DataLoader; got {type(data).__name__}")


def _loader(data, batch_size, shuffle, seed, what):
    if isinstance(data, DataLoader):
        return data
    return DataLoader(_dataset(data, what), batch_size=batch_size, shuffle=shuffle, seed=seed)


def _split(batch):
    if not (isinstance(batch, tuple) and len(batch) == 2):
        raise TypeError("fit/evaluate: each batch must be an (inputs, targets) pair")
    return batch


def _scalar(loss):
    val = float(np.asarray(loss))
    if not math.isfinite(val):
        raise FloatingPointError(f"the loss became {val}; lower the learning rate or check the data")
    return val


class _Means:
    """Running batch-size-weighted sums of logged values; ``means()`` equals the full-pass values."""

    def __init__(self):
        self.totals, self.seen = {}, 0

    def add(self, logs, k):
        self.seen += k
        for name, v in logs.items():
            self.totals[name] = self.totals.get(name, 0.0) + v * k

    def means(self):
        return {name: t / self.seen for name, t in self.totals.items()}


def _run_epoch_eval(model, loss_fn, loader, metric_fns):
    """Mean loss (if loss_fn) and metrics over ``loader``, under :func:`nn.eval_mode`."""
    sums = _Means()
    with eval_mode(model):
        for batch in loader:
            xb, yb = _split(batch)
            out = model(xb)
            logs = {} if loss_fn is None else {"loss": _scalar(loss_fn(out, yb))}
            logs.update(_metric_values(metric_fns, out, yb))
            sums.add(logs, len(yb))
    if sums.seen == 0:
        raise ValueError("evaluate: the data is empty")
    return sums.means()


def _metric_values(metric_fns, out, target):
    raw = np.asarray(out)
    return {name: fn(raw, target) for name, fn in metric_fns.items()}


def evaluate(model, loss_fn, data, batch_size=256, metrics=("accuracy",)):
    """Mean loss and metrics over ``data`` ((X, y), a Dataset or a DataLoader), in eval mode without grad."""
    return _run_epoch_eval(model, loss_fn, _loader(data, batch_size, False, None, "evaluate"), _metric_fns(metrics))


def predict(model, X, batch_size=256):
    """Model outputs for inputs ``X`` as one ndarray, batched, in eval mode without grad."""
    X = np.asarray(X)
    with eval_mode(model):
        outs = [np.asarray(model(X[i : i + batch_size])) for i in range(0, len(X), batch_size)]
    return np.concatenate(outs) if outs else np.empty((0,))


def _postfix(logs):
    return {k: f"{v:.4f}" for k, v in logs.items()}


# -- fit, in named steps -----------------------------------------------------------------------
def _check_fit_args(epochs, validation_split, val_data):
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive integer, got {epochs!r}")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"fit: validation_split must be in [0, 1), got {validation_split}")
    if validation_split and val_data is not None:
        raise ValueError("fit: give val_data or validation_split, not both")


def _loaders(train_data, val_data, validation_split, batch_size, shuffle, seed):
    """The training loader and the validation loader (None without validation data); with
    ``validation_split`` a seeded random fraction of the training set becomes the validation set."""
    if validation_split:
        full = _dataset(train_data.dataset if isinstance(train_data, DataLoader) else train_data, "fit")
        n_val = max(1, round(len(full) * validation_split))
        train_data, val_data = random_split(full, [len(full) - n_val, n_val], seed=seed)
    train_loader = _loader(train_data, batch_size, shuffle, seed, "fit")
    val_loader = None if val_data is None else _loader(val_data, max(batch_size, 256), False, None, "fit(val_data)")
    return train_loader, val_loader


def _with_early_stopping(callbacks, early_stopping):
    callbacks = list(callbacks)
    if early_stopping is not None:
        if isinstance(early_stopping, int) and not isinstance(early_stopping, bool):
            early_stopping = EarlyStopping(patience=early_stopping)
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError("fit: early_stopping must be an EarlyStopping or an int patience")
        callbacks.append(early_stopping)
    return callbacks


def _progress_bar(progress, total, epoch, epochs, file):
    """A tqdm bar for one epoch, or None without progress."""
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=f"epoch {epoch + 1}/{epochs}",
        file=file or sys.stderr,
        leave=True,
        dynamic_ncols=True,
        unit="batch",
    )


def _train_step(model, loss_fn, optimizer, metric_fns, callbacks, i, batch):
    """One step on batch ``i``: zero_grad, forward, loss, backward, the optimizer step; returns its logs."""
    xb, yb = _split(batch)
    for cb in callbacks:
        cb.on_batch_begin(i, {})
    optimizer.zero_grad()
    out = model(xb)
    loss = loss_fn(out, yb)
    if not isinstance(loss, Value):
        raise TypeError(f"fit: loss_fn must return a Value, got {type(loss).__name__}")
    loss.backward()
    logs = {"loss": _scalar(loss)}
    for cb in callbacks:
        cb.on_after_backward(i, logs)
    optimizer.step()
    logs.update(_metric_values(metric_fns, out, yb))
    for cb in callbacks:
        cb.on_batch_end(i, logs)
    return logs, len(yb)


def _train_epoch(model, loss_fn, optimizer, metric_fns, callbacks, loader, bar):
    """Every step of one epoch; returns the epoch's mean loss and metrics."""
    sums = _Means()
    for i, batch in enumerate(loader):
        logs, k = _train_step(model, loss_fn, optimizer, metric_fns, callbacks, i, batch)
        sums.add(logs, k)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(_postfix(sums.means()), refresh=False)
    if sums.seen == 0:
        raise ValueError("fit: the training data gave no batches (empty, or drop_last with too few items)")
    return sums.means()


def fit(
    model,
    loss_fn,
    optimizer,
    train_data,
    epochs=10,
    val_data=None,
    validation_split=0.0,
    batch_size=32,
    shuffle=True,
    seed=0,
    metrics=("accuracy",),
    callbacks=(),
    early_stopping=None,
    progress=True,
    file=None,
):
    """Train ``model`` and return a :class:`History` of per-epoch ``loss``, metrics and ``val_*`` values.

    model: a Module (or any callable, then ``train()`` is skipped). loss_fn(output, target) -> a
    scalar Value. optimizer: an ``nn.optim`` optimizer over the model's parameters.
    train_data / val_data: (X, y) arrays, a Dataset, a list of (x, y) samples, or a DataLoader. validation_split: hold out
    this fraction of train_data (seeded by ``seed``, which also seeds shuffling). metrics: names in
    ``METRICS`` or callables (output, target) -> float. early_stopping: an EarlyStopping, or an int
    patience. progress: show a tqdm bar per epoch with the running loss and metrics (on ``file``,
    stderr by default). Epoch values are averages weighted by batch size (the full-pass values);
    validation runs under :func:`nn.eval_mode`.

    Raises ValueError for epochs < 1, validation_split outside [0, 1), both val_data and
    validation_split, an unknown metric or no batches; TypeError for a loss_fn that does not return
    a Value, batches that are not (inputs, targets) pairs or a bad early_stopping;
    FloatingPointError when the loss becomes NaN or inf.
    """
    _check_fit_args(epochs, validation_split, val_data)
    metric_fns = _metric_fns(metrics)
    train_loader, val_loader = _loaders(train_data, val_data, validation_split, batch_size, shuffle, seed)
    callbacks = _with_early_stopping(callbacks, early_stopping)
    history = History()
    trainer = _Trainer(model, optimizer, history)
    for cb in callbacks:
        cb.set_trainer(trainer)
        cb.on_train_begin({})
    for epoch in range(epochs):
        if hasattr(model, "train"):
            model.train()
        for cb in callbacks:
            cb.on_epoch_begin(epoch, {})
        bar = _progress_bar(progress, len(train_loader), epoch, epochs, file)
        try:
            logs = _train_epoch(model, loss_fn, optimizer, metric_fns, callbacks, train_loader, bar)
            if val_loader is not None:
                val = _run_epoch_eval(model, loss_fn, val_loader, metric_fns)
                logs.update({f"val_{k}": v for k, v in val.items()})
            if bar is not None:
                bar.set_postfix(_postfix(logs))
        finally:
            if bar is not None:
                bar.close()
        for cb in callbacks:
            cb.on_epoch_end(epoch, logs)  # may add entries to logs (e.g. DeadReLUMonitor)
        history.append(epoch, logs)
        if trainer.stop_training:
            break
    for cb in callbacks:
        cb.on_train_end({})
    return history
