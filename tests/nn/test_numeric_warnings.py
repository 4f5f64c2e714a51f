"""No raw numpy warning leaks out of nn: results follow PyTorch (inf, nan) silently, or one warning
names our function; a misspelt optimiser keyword names the closest argument, as layers do."""

import warnings

import numpy as np
import pytest
import torch

import nn
from autograd_core import Value


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("grad", [[np.inf, 1.0], [np.nan, 1.0], [1e300, 1e300], [1e200, 1e-200]])
def test_clip_grad_norm_with_nonfinite_or_overflowing_gradients_matches_torch_silently(grad, norm_type):
    p = nn.Parameter(np.zeros(2))
    p.grad = np.array(grad)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = nn.utils.clip_grad_norm_([p], 1.0, norm_type=norm_type)
    t = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    t.grad = torch.tensor(grad, dtype=torch.float64)
    want = torch.nn.utils.clip_grad_norm_([t], 1.0, norm_type=norm_type)
    np.testing.assert_array_equal(float(total), float(want))
    np.testing.assert_array_equal(p.grad, t.grad.numpy())


def test_adam_float16_matches_torch_with_one_warning_naming_adam():
    p = nn.Parameter(np.array([1.0, 2.0, 3.0], np.float16))
    t = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16, requires_grad=True)
    ours, theirs = nn.optim.Adam([p], lr=0.1), torch.optim.Adam([t], lr=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for g in ([1e-4, 100.0, 0.0], [300.0, 1e-3, 0.5], [60000.0, 1.0, 2.0]):
            p.grad = np.array(g, np.float16)
            t.grad = torch.tensor(g, dtype=torch.float16)
            ours.step()
            theirs.step()
            np.testing.assert_array_equal(np.asarray(p), t.detach().numpy())
    assert [type(w.message) for w in caught] == [UserWarning]
    assert "Adam: eps=1e-08 is 0 in float16" in str(caught[0].message) and caught[0].filename == __file__


def test_float16_adam_with_a_representable_eps_is_silent():
    p = nn.Parameter(np.array([1.0, 2.0], np.float16))
    opt = nn.optim.Adam([p], lr=0.1, eps=1e-4)
    p.grad = np.array([0.0, 1.0], np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
    assert np.isfinite(np.asarray(p)).all()


@pytest.mark.parametrize(
    "cls,typo,fix",
    [
        ("Adam", "beta", "betas"),
        ("AdamW", "weight_decy", "weight_decay"),
        ("SGD", "momentun", "momentum"),
        ("RMSprop", "alpah", "alpha"),
        ("Adagrad", "lr_decays", "lr_decay"),
    ],
)
def test_a_misspelt_optimiser_keyword_names_the_closest(cls, typo, fix):
    p = nn.Parameter(np.zeros(2))
    with pytest.raises(
        TypeError, match=rf"{cls}\(\) got an unexpected keyword argument '{typo}'; did you mean '{fix}'"
    ):
        getattr(nn.optim, cls)([p], **{typo: 0.9})


@pytest.mark.parametrize("name", ["mse_loss", "huber_loss", "smooth_l1_loss"])
def test_regression_losses_past_the_float_range_match_torch_silently(name):
    x = np.array([1e300, 2.0])
    v = Value(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = getattr(nn.functional, name)(v, np.zeros(2))
        loss.backward()
    t = torch.tensor(x, requires_grad=True)
    want = getattr(torch.nn.functional, name)(t, torch.zeros(2, dtype=torch.float64))
    want.backward()
    assert float(loss) == want.item()
    np.testing.assert_array_equal(v.grad, t.grad.numpy())
