"""Anomaly mode: NaN/inf raise naming the op, the pass and where the Value was created; off, nothing is checked."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import AnomalyError, Value, detect_anomaly, set_detect_anomaly
from autograd_core.grad_mode import _State

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _make_sqrt_of_zero(x):
    return (x * 0).sqrt()  # forward finite (0), backward divides by 2*sqrt(0)


def test_forward_nan_names_op_and_creation_site():
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        Value(np.array([-1.0, 4.0])).log()
    msg = str(info.value)
    assert "forward of op 'log'" in msg
    assert "nan" in msg
    assert "test_anomaly.py" in msg and "test_forward_nan_names_op_and_creation_site" in msg


def test_forward_inf_from_finite_inputs():
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"forward of op 'exp' produced inf"):
        Value(1000.0).exp()


def test_backward_inf_names_op_input_and_where_created():
    x = Value(np.ones(3))
    with detect_anomaly():
        y = _make_sqrt_of_zero(x).sum()
        with pytest.raises(AnomalyError) as info:
            y.backward()
    msg = str(info.value)
    assert "backward of op 'sqrt'" in msg and "input 0" in msg and "inf" in msg
    assert "_make_sqrt_of_zero" in msg  # the frame that created the sqrt output
    assert x.grad is None


def test_backward_nan_under_create_graph():
    x = Value(np.array([0.0, 1.0]))
    with detect_anomaly():
        y = (x.sqrt() * 0 + x).sum()
        with pytest.raises(AnomalyError, match=r"op 'div' produced nan .* backward of op 'sqrt'") as info:
            ag.gradients(y, x, create_graph=True)
    assert "test_backward_nan_under_create_graph" in str(info.value)  # where the sqrt output was made
    assert _State.backward_step is None  # the engine's hook is cleared although the vjp raised
    with detect_anomaly(), pytest.raises(AnomalyError, match="forward of op 'log'"):
        Value(0.0).log()  # so a later forward NaN is not blamed on that backward


def test_nan_in_the_data_is_reported_at_the_first_op_that_receives_it():
    with detect_anomaly():
        x = Value(np.array([np.nan, 1.0]), name="x")  # made here, inside the mode
        with pytest.raises(AnomalyError) as info:
            (x * 2).sum()
    msg = str(info.value)
    assert "op 'mul' received nan in input 0" in msg and "'x'" in msg and "data Value" not in msg
    assert msg.count("test_nan_in_the_data_is_reported_at_the_first_op_that_receives_it") == 2  # made, used


def test_the_issue_case_a_nan_in_a_batch_through_a_model_raises():
    """with detect_anomaly(): F.mse_loss(model(X_with_one_nan), y).backward() used to raise nothing."""
    import nn
    from nn import functional as F

    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.ReLU(), nn.Linear(4, 1, seed=1))
    X = np.ones((5, 3))
    X[2, 1] = np.nan
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        F.mse_loss(model(X), np.zeros((5, 1))).backward()
    msg = str(info.value)
    assert "op 'linear' received nan in input 0: a plain array or number of shape (5, 3)" in msg
    assert "test_the_issue_case_a_nan_in_a_batch_through_a_model_raises" in msg  # the user's line, not nn's
    assert all(p.grad is None for p in model.parameters())


def test_nan_in_a_parameter_names_it():
    w = Value(np.array([1.0, np.nan]), name="w")  # a parameter made before the mode was on
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        Value(np.ones(2), requires_grad=False) * w
    msg = str(info.value)
    assert "input 1: a leaf Value that requires grad (a parameter?) 'w', shape (2,)" in msg
    assert "made outside detect_anomaly()" in msg


def test_nan_from_a_value_computed_outside_the_mode_names_its_op():
    y = Value(np.array([-1.0, 1.0])).log()  # nan, silently, outside the mode
    with (
        detect_anomaly(),
        pytest.raises(AnomalyError, match=r"op 'exp' received nan in input 0: the output of op 'log'"),
    ):
        y.exp()


def test_nan_in_the_seed_gradient_is_reported():
    x = Value(np.ones(2))
    y = x * 3
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"gradient passed to backward\(\) for output 0 holds nan"):
        y.backward(np.array([1.0, np.nan]))
    with detect_anomaly(), pytest.raises(AnomalyError, match="holds inf"):
        ag.gradients([y], [x], grad_outputs=[np.array([np.inf, 1.0])], retain_graph=True)
    assert x.grad is None


def test_backward_through_a_forward_that_ran_outside_the_mode_still_raises():
    x = Value(np.array([0.0, 1.0]))
    y = (x.log() * 0.0).sum()  # log(0) = -inf, 0 * -inf = nan: unchecked forward
    with detect_anomaly(), pytest.raises(AnomalyError, match="already held"):
        y.backward()


def test_outside_the_mode_nans_propagate_silently():
    assert not ag.is_anomaly_enabled()
    x = Value(np.array([-1.0, 0.0, 4.0]))
    y = x.log().sqrt().sum()
    y.backward()
    assert np.isnan(y.item())
    assert np.isnan(x.grad).any()
    assert y._trace is None  # nothing recorded outside the mode


def test_mode_records_traces_and_restores_state():
    with detect_anomaly():
        assert ag.is_anomaly_enabled()
        with detect_anomaly():
            pass
        assert ag.is_anomaly_enabled()  # nested exit restores the outer state
        y = Value(2.0) * 3
        assert y._trace is not None and "test_anomaly.py" in "".join(y._trace.format())
    assert _State.anomaly is False


def test_state_restored_after_an_error():
    with pytest.raises(AnomalyError), detect_anomaly():
        Value(0.0).log()
    assert not ag.is_anomaly_enabled()


def test_decorator_and_set_detect_anomaly():
    @detect_anomaly()
    def f():
        return Value(-1.0).sqrt()

    with pytest.raises(AnomalyError):
        f()
    assert not ag.is_anomaly_enabled()
    with set_detect_anomaly(True):
        assert ag.is_anomaly_enabled()
        with set_detect_anomaly(False):
            assert not ag.is_anomaly_enabled()
            Value(-1.0).sqrt()  # unchecked
        assert ag.is_anomaly_enabled()
    assert not ag.is_anomaly_enabled()


def test_anomaly_error_is_a_floating_point_error():
    with pytest.raises(FloatingPointError), detect_anomaly():
        Value(np.array([0.0])) / 0.0


def test_finite_training_step_runs_unchanged_in_the_mode():
    rng = np.random.default_rng(0)
    w = Value(rng.normal(size=(3, 2)))
    x = rng.normal(size=(5, 3))
    with detect_anomaly():
        loss = ((x @ w).tanh() ** 2).mean()
        loss.backward()
    w2 = Value(w.data)
    ((x @ w2).tanh() ** 2).mean().backward()
    np.testing.assert_allclose(w.grad, w2.grad)


def test_outside_the_mode_the_checks_are_never_called(monkeypatch):
    import autograd_core.anomaly as anomaly

    def boom(*a, **k):
        raise AssertionError("anomaly check ran outside detect_anomaly()")

    monkeypatch.setattr(anomaly, "check_forward", boom)
    monkeypatch.setattr(anomaly, "check_backward", boom)
    x = Value(np.array([0.0, 1.0]))
    y = (x.sqrt() * x.log()).sum()  # NaN and inf everywhere, silently
    y.backward()
    (g,) = ag.gradients((x * x).sum(), x, create_graph=True)
    g.sum().backward()


def test_anomaly_in_an_nn_training_step_names_the_op():
    import nn
    from nn import functional as F

    model = nn.Linear(2, 1, dtype=np.float64, seed=0)
    model.weight.data = np.array([[-1.0, -1.0]])
    model.bias.data = np.zeros(1)
    x = np.array([[1.0, 2.0]])
    with detect_anomaly(), pytest.raises(AnomalyError, match="forward of op 'log'") as info:
        F.mse_loss(model(x).relu().log(), np.zeros((1, 1)))  # log(0) after relu of a negative output
    assert "test_anomaly_in_an_nn_training_step_names_the_op" in str(info.value)
