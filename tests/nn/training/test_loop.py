"""fit: history, validation, metrics, callbacks, early stopping that restores the best weights; evaluate, predict."""

import io

import numpy as np
import pytest

import autograd_core as ag
from nn import Module, Parameter
from nn.data import DataLoader, TensorDataset
from nn.optim import SGD
from nn.training.loop import Callback, EarlyStopping, LambdaCallback, accuracy, evaluate, fit, predict


class Softmax(Module):
    """Multinomial logistic regression, built from the engine only (no layers needed)."""

    def __init__(self, d, k, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.weight = Parameter(rng.normal(0, 0.1, (d, k)))
        self.bias = Parameter(np.zeros(k))

    def forward(self, x):
        return ag.Value(x, requires_grad=False) @ self.weight + self.bias


def xent(logits, y):
    y = np.asarray(y)
    picked = logits[np.arange(len(y)), y]
    return (logits.logsumexp(axis=1) - picked).mean()


def blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.0]])
    return centres[y] + 0.5 * rng.standard_normal((n, 2)), y


def test_fit_learns_and_records_history():
    X, y = blobs()
    model = Softmax(2, 3)
    out = io.StringIO()
    hist = fit(model, xent, SGD(model.parameters(), lr=0.5), (X, y), epochs=5, batch_size=16, file=out)
    assert len(hist) == 5 and hist.epochs == list(range(5))
    assert set(hist.keys()) == {"loss", "accuracy"}
    assert hist["loss"][-1] < hist["loss"][0]
    assert hist["accuracy"][-1] > 0.9
    text = out.getvalue()
    assert "epoch 5/5" in text and "loss=" in text and "accuracy=" in text
    assert "History(epochs=5" in repr(hist)


def test_epoch_loss_is_the_size_weighted_mean_of_batch_losses():
    X, y = blobs(10)
    model = Softmax(2, 3)
    seen = []
    cb = LambdaCallback(on_batch_end=lambda i, logs: seen.append(logs["loss"]))
    hist = fit(
        model,
        xent,
        SGD(model.parameters(), lr=0.0),
        (X, y),
        epochs=1,
        batch_size=4,
        callbacks=[cb],
        progress=False,
        shuffle=False,
    )
    assert len(seen) == 3
    assert hist["loss"][0] == pytest.approx((4 * seen[0] + 4 * seen[1] + 2 * seen[2]) / 10)
    # with lr=0 every batch sees the same weights, so it equals evaluate's full-pass loss
    assert hist["loss"][0] == pytest.approx(evaluate(model, xent, (X, y))["loss"])


def test_validation_data_and_split():
    X, y = blobs()
    model = Softmax(2, 3)
    hist = fit(
        model, xent, SGD(model.parameters(), lr=0.5), (X, y), epochs=2, val_data=(X[:30], y[:30]), progress=False
    )
    assert {"val_loss", "val_accuracy"} <= set(hist.keys())
    hist = fit(model, xent, SGD(model.parameters(), lr=0.5), (X, y), epochs=2, validation_split=0.25, progress=False)
    assert len(hist["val_loss"]) == 2
    with pytest.raises(ValueError, match="not both"):
        fit(model, xent, SGD(model.parameters(), lr=0.5), (X, y), val_data=(X, y), validation_split=0.2)
    with pytest.raises(ValueError, match="epochs"):
        fit(model, xent, SGD(model.parameters(), lr=0.5), (X, y), epochs=0)
    with pytest.raises(ValueError, match="unknown metric"):
        fit(model, xent, SGD(model.parameters(), lr=0.5), (X, y), metrics=("f7",))


def test_accepts_dataloaders_and_datasets():
    X, y = blobs(40)
    model = Softmax(2, 3)
    loader = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=1)
    hist = fit(
        model, xent, SGD(model.parameters(), lr=0.5), loader, epochs=2, val_data=TensorDataset(X, y), progress=False
    )
    assert len(hist) == 2


class Recorder(Callback):
    def __init__(self):
        self.calls = []

    def on_train_begin(self, logs):
        self.calls.append("train_begin")

    def on_epoch_begin(self, epoch, logs):
        self.calls.append(f"epoch_begin{epoch}")

    def on_after_backward(self, batch, logs):
        assert all(p.grad is not None for p in self.trainer.model.parameters())
        self.calls.append("backward")

    def on_epoch_end(self, epoch, logs):
        self.calls.append(f"epoch_end{epoch}")
        if epoch == 1:
            self.trainer.stop_training = True

    def on_train_end(self, logs):
        self.calls.append("train_end")


def test_callbacks_order_and_stop_training():
    X, y = blobs(8)
    model = Softmax(2, 3)
    rec = Recorder()
    hist = fit(
        model, xent, SGD(model.parameters(), lr=0.1), (X, y), epochs=10, batch_size=8, callbacks=[rec], progress=False
    )
    assert len(hist) == 2
    assert rec.calls == [
        "train_begin",
        "epoch_begin0",
        "backward",
        "epoch_end0",
        "epoch_begin1",
        "backward",
        "epoch_end1",
        "train_end",
    ]
    with pytest.raises(ValueError, match="unknown hook"):
        LambdaCallback(on_banana=print)


def test_early_stopping_restores_the_best_weights():
    X, y = blobs(60)
    model = Softmax(2, 3)
    # validation labels contradict the training labels, so validation loss rises as training goes on
    bad = (X, (y + 1) % 3)
    snapshots = []
    cb = LambdaCallback(
        on_epoch_end=lambda e, logs: snapshots.append({k: np.array(v) for k, v in model.state_dict().items()})
    )
    es = EarlyStopping(patience=2, restore_best_weights=True)
    hist = fit(
        model,
        xent,
        SGD(model.parameters(), lr=0.5),
        (X, y),
        epochs=30,
        val_data=bad,
        callbacks=[cb],
        early_stopping=es,
        progress=False,
    )
    best = int(np.argmin(hist["val_loss"]))
    assert hist.best_epoch == best == es.best_epoch
    assert hist.stopped_epoch == len(hist) - 1 == best + 2  # patience 2: two epochs without improvement
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, snapshots[best][k])
    assert evaluate(model, xent, bad)["loss"] == pytest.approx(hist["val_loss"][best])
    assert hist["val_loss"][-1] > hist["val_loss"][best]


def test_early_stopping_without_restore_keeps_the_last_weights_and_int_patience():
    X, y = blobs(60)
    model = Softmax(2, 3)
    es = EarlyStopping(patience=1, restore_best_weights=False)
    hist = fit(
        model,
        xent,
        SGD(model.parameters(), lr=0.5),
        (X, y),
        epochs=30,
        val_data=(X, (y + 1) % 3),
        early_stopping=es,
        progress=False,
    )
    assert len(hist) == es.best_epoch + 2
    assert evaluate(model, xent, (X, (y + 1) % 3))["loss"] == pytest.approx(hist["val_loss"][-1])
    m2 = Softmax(2, 3)
    hist = fit(
        m2, xent, SGD(m2.parameters(), lr=0.1), (X, y), epochs=2, val_data=(X, y), early_stopping=3, progress=False
    )
    assert len(hist) == 2


@pytest.mark.parametrize("patience", [0, 1, 2, 4])
def test_early_stopping_with_a_flat_loss_trains_patience_plus_one_epochs(patience):
    """Keras's rule (and our docstring): the first epoch sets the best, then ``patience`` epochs
    without improvement, and training stops: patience + 1 epochs in all (patience 0 stops at the
    first epoch that does not improve, the second)."""
    X, y = blobs(30)
    model = Softmax(2, 3)
    es = EarlyStopping(patience=patience)
    hist = fit(
        model,
        xent,
        SGD(model.parameters(), lr=0.0),
        (X, y),
        epochs=20,
        val_data=(X, y),
        early_stopping=es,
        progress=False,
    )
    assert len(set(hist["val_loss"])) == 1  # lr 0: the loss is flat
    assert len(hist) == max(patience, 1) + 1
    assert hist.best_epoch == 0 and hist.stopped_epoch == max(patience, 1) == es.wait
    hist = fit(
        model,
        xent,
        SGD(model.parameters(), lr=0.0),
        (X, y),
        epochs=patience + 1,
        val_data=(X, y),
        early_stopping=EarlyStopping(patience=patience + 1),
        progress=False,
    )
    assert len(hist) == patience + 1 and hist.stopped_epoch is None  # not stopped: ran out of epochs


def test_early_stopping_modes_and_fallback():
    X, y = blobs(30)
    model = Softmax(2, 3)
    es = EarlyStopping(monitor="val_accuracy", patience=0, min_delta=0.5)
    hist = fit(
        model,
        xent,
        SGD(model.parameters(), lr=0.1),
        (X, y),
        epochs=5,
        val_data=(X, y),
        early_stopping=es,
        progress=False,
    )
    assert len(hist) == 2  # needs a +0.5 accuracy jump to count as better
    with pytest.warns(UserWarning, match="monitoring 'loss'"):
        fit(
            model,
            xent,
            SGD(model.parameters(), lr=0.1),
            (X, y),
            epochs=2,
            early_stopping=EarlyStopping(),
            progress=False,
        )
    with pytest.raises(ValueError, match="mode"):
        EarlyStopping(mode="up")


def test_evaluate_predict_and_accuracy():
    X, y = blobs(50)
    model = Softmax(2, 3)
    out = predict(model, X, batch_size=7)
    assert out.shape == (50, 3) and isinstance(out, np.ndarray)
    res = evaluate(model, xent, (X, y), batch_size=7)
    assert res["accuracy"] == pytest.approx(accuracy(out, y))
    assert accuracy(np.array([[0.1, 0.9], [2.0, 1.0]]), np.array([1, 1])) == 0.5
    assert accuracy(np.array([[-1.0], [3.0]]), np.array([0, 1])) == 1.0
    assert accuracy(np.array([[0.1, 0.9]]), np.array([[0.0, 1.0]])) == 1.0


def test_nan_loss_stops_with_a_clear_error():
    X, y = blobs(20)
    X[0, 0] = np.nan
    model = Softmax(2, 3)
    with pytest.raises(FloatingPointError, match="learning rate"):
        fit(model, xent, SGD(model.parameters(), lr=0.1), (X, y), epochs=1, progress=False, shuffle=False)
