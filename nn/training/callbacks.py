"""Callbacks for ``fit`` (Keras's protocol): the base class, a lambda adapter, the history and early stopping.

``EarlyStopping`` watches a logged quantity (``val_loss`` by default) and, with
``restore_best_weights``, loads the best epoch's ``state_dict`` back at the end.
"""

import warnings

import numpy as np

__all__ = ["Callback", "EarlyStopping", "History", "LambdaCallback"]


# -- callbacks ---------------------------------------------------------------------------------
class Callback:
    """Hooks called by ``fit``; ``self.trainer`` gives the model, optimizer, history and ``stop_training``."""

    trainer = None

    def set_trainer(self, trainer):
        """Called by ``fit`` first: ``trainer`` has ``model``, ``optimizer``, ``history`` and ``stop_training``."""
        self.trainer = trainer

    def on_train_begin(self, logs):
        """Called once before the first epoch (``logs`` is empty); reset per-run state here."""

    def on_epoch_begin(self, epoch, logs):
        """Called at the start of epoch ``epoch`` (0-based; ``logs`` is empty)."""

    def on_batch_begin(self, batch, logs):
        """Called before the training step on batch ``batch`` (0-based within the epoch)."""

    def on_after_backward(self, batch, logs):
        """Gradients are in every parameter's ``.grad`` here, before the optimizer step."""

    def on_batch_end(self, batch, logs):
        """Called after the optimizer step; ``logs`` holds the batch's ``loss`` and metrics (floats)."""

    def on_epoch_end(self, epoch, logs):
        """Called after validation; ``logs`` holds the epoch's means (``loss``, metrics, ``val_*``) and
        may be extended here. Set ``self.trainer.stop_training = True`` to stop after this epoch."""

    def on_train_end(self, logs):
        """Called once after the last epoch (``logs`` is empty)."""


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, **hooks):
        for name, fn in hooks.items():
            if not hasattr(Callback, name) or not name.startswith("on_"):
                raise ValueError(f"LambdaCallback: unknown hook {name!r}")
            setattr(self, name, fn)


class History:
    """Per-epoch logs: ``history["loss"]``, ``history["val_accuracy"]`` ...; plus best/stopped epochs."""

    def __init__(self):
        self.history = {}
        self.epochs = []
        self.best_epoch = None
        self.stopped_epoch = None

    def append(self, epoch, logs):
        """Record epoch ``epoch``'s ``logs`` (name -> float)."""
        self.epochs.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)

    def __getitem__(self, key):
        return self.history[key]

    def __contains__(self, key):
        return key in self.history

    def keys(self):
        """The logged names (``loss``, metrics, ``val_*`` ...)."""
        return self.history.keys()

    def __len__(self):
        return len(self.epochs)

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items()} if self.epochs else {}
        return f"History(epochs={len(self)}, last={last}, best_epoch={self.best_epoch})"


class EarlyStopping(Callback):
    """Stop once ``monitor`` has gone ``patience`` epochs in a row without improving on the best by
    more than ``min_delta`` (Keras's rule): with a flat validation loss, training runs ``patience + 1``
    epochs (the first sets the best); ``patience=0`` stops at the first epoch that does not improve.

    mode: "min", "max", or "auto" (max for accuracy-like names, else min). With
    ``restore_best_weights`` the best epoch's state_dict is loaded back when training ends.
    ``wait`` counts the epochs since the last improvement; ``stopped_epoch`` is the (0-based) epoch
    after which training stopped, or None.
    """

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0, mode="auto", restore_best_weights=True):
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        self.monitor = monitor
        self.patience = patience
        self.min_delta = abs(min_delta)
        self.mode = mode
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self, logs):
        self.best = None
        self.best_epoch = None
        self.best_state = None
        self.wait = 0
        self.stopped_epoch = None
        self._key = self.monitor

    def _better(self, current):
        if self.best is None:
            return True
        maximize = self.mode == "max" or (self.mode == "auto" and "acc" in self._key)
        if maximize:
            return current > self.best + self.min_delta
        return current < self.best - self.min_delta

    def on_epoch_end(self, epoch, logs):
        if self._key not in logs:
            fallback = self._key[4:] if self._key.startswith("val_") else None
            if fallback in logs:
                warnings.warn(
                    f"EarlyStopping: {self._key!r} is not logged (no validation data); monitoring {fallback!r}",
                    stacklevel=2,
                )
                self._key = fallback
            else:
                raise KeyError(f"EarlyStopping: {self.monitor!r} is not logged; logged: {sorted(logs)}")
        current = logs[self._key]
        if self._better(current):
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_state = {k: np.array(v) for k, v in self.trainer.model.state_dict().items()}
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.trainer.stop_training = True
        self.trainer.history.best_epoch = self.best_epoch

    def on_train_end(self, logs):
        self.trainer.history.stopped_epoch = self.stopped_epoch
        if self.restore_best_weights and self.best_state is not None:
            self.trainer.model.load_state_dict(self.best_state)
