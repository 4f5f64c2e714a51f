"""nn.eval_mode: eval + no_grad inside, every module's own train/eval flag and the grad mode restored after."""

import numpy as np
import pytest

import autograd_core as ag
import nn


def _model():
    model = nn.Sequential(
        nn.Linear(2, 3, dtype=np.float64, seed=0), nn.Dropout(0.5), nn.BatchNorm1d(3, dtype=np.float64)
    )
    model[2].eval()  # a frozen part stays frozen
    return model


def test_eval_and_no_grad_inside_each_flag_restored_after():
    model = _model()
    before = [m.training for m in model.modules()]
    assert before == [True, True, True, False]
    with nn.eval_mode(model) as m:
        assert m is model and not any(x.training for x in model.modules())
        assert not ag.is_grad_enabled()
        out = model(np.ones((4, 2)))
        assert not out.requires_grad
    assert [m.training for m in model.modules()] == before and ag.is_grad_enabled()


def test_restored_when_the_block_raises_and_nested_in_no_grad():
    model = _model()
    with pytest.raises(RuntimeError), nn.eval_mode(model):
        raise RuntimeError("inside")
    assert [m.training for m in model.modules()] == [True, True, True, False]
    with ag.no_grad(), nn.eval_mode(model):
        pass
    assert ag.is_grad_enabled()


def test_a_plain_callable_gets_no_grad_only():
    def f(x):
        return x * 2

    with nn.eval_mode(f):
        assert not (f(ag.Value(1.0))).requires_grad


def test_evaluate_and_predict_restore_a_partly_frozen_model():
    model = _model()
    nn.predict(model, np.ones((5, 2)), batch_size=2)
    nn.evaluate(model, None, (np.ones((4, 2)), np.zeros(4, dtype=np.int64)), metrics=())
    assert [m.training for m in model.modules()] == [True, True, True, False]
