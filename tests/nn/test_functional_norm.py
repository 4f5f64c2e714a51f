"""batch_norm, layer_norm, group_norm, dropout: PyTorch cross-checks and finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from _torch_helpers import assert_close_both
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
from autograd_core.testing import assert_gradients_match


@given(st.sampled_from([(4, 3), (3, 2, 5), (2, 3, 2, 3)]), st.booleans(), st.integers(0, 1000))
def test_batch_norm_training_matches_torch(shape, affine, seed):
    rng = np.random.default_rng(seed)
    c = shape[1]
    arrays = [rng.normal(size=shape)] + ([rng.normal(size=c), rng.normal(size=c)] if affine else [])
    rm, rv = np.zeros(c), np.ones(c)
    trm, trv = torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)
    assert_close_both(
        lambda x, w=None, b=None: F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.3),
        lambda x, w=None, b=None: TF.batch_norm(x, trm, trv, w, b, training=True, momentum=0.3),
        arrays,
        rtol=1e-8,
        atol=1e-9,
    )
    np.testing.assert_allclose(rm, trm.numpy(), rtol=1e-12)
    np.testing.assert_allclose(rv, trv.numpy(), rtol=1e-12)
    assert_gradients_match(
        lambda x, w=None, b=None: F.batch_norm(x, None, None, w, b, training=True),
        *arrays,
        second_order=True,
        fast=True,
    )


def test_batch_norm_eval_matches_torch():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(3, 4, 5)), rng.normal(size=4), rng.normal(size=4)
    rm, rv = rng.normal(size=4), rng.uniform(0.5, 2, size=4)
    assert_close_both(
        lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False),
        lambda x, w, b: TF.batch_norm(x, torch.tensor(rm), torch.tensor(rv), w, b, training=False),
        [x, w, b],
    )
    assert_gradients_match(lambda x, w, b: F.batch_norm(x, rm, rv, w, b), x, w, b, second_order=True)


def test_batch_norm_running_statistics_are_updated_in_place_or_refused_before_any_change():
    x = np.random.default_rng(0).normal(size=(5, 2))
    rm, rv = ag.Value(np.zeros(2), requires_grad=False), ag.Value(np.ones(2), requires_grad=False)
    F.batch_norm(x, rm, rv, training=True, momentum=0.5)  # Values: their data is rebound
    np.testing.assert_allclose(rm.data, 0.5 * x.mean(0))
    np.testing.assert_allclose(rv.data, 0.5 + 0.5 * x.var(0, ddof=1))
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    writeable = np.ones(2)
    with pytest.raises(ValueError, match="writeable"):
        F.batch_norm(x, writeable, frozen, training=True)
    with pytest.raises(TypeError, match="momentum=None"):  # PyTorch's F.batch_norm refuses None too
        F.batch_norm(x, writeable, np.ones(2), training=True, momentum=None)
    np.testing.assert_array_equal(writeable, np.ones(2))  # untouched by either refusal
    F.batch_norm(x, None, None, training=True, momentum=None)  # nothing to update: fine


def test_batch_norm_needs_more_than_one_value_per_channel():
    with pytest.raises(ValueError, match="more than 1 value"):
        F.batch_norm(np.ones((1, 3)), None, None, training=True)


@given(st.sampled_from([((4, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4))]), st.booleans(), st.integers(0, 99))
def test_layer_norm_matches_torch(shapes, affine, seed):
    shape, norm = shapes
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(size=shape)] + ([rng.normal(size=norm), rng.normal(size=norm)] if affine else [])
    assert_close_both(
        lambda x, w=None, b=None: F.layer_norm(x, norm, w, b),
        lambda x, w=None, b=None: TF.layer_norm(x, norm, w, b),
        arrays,
        rtol=1e-8,
        atol=1e-9,
    )
    assert_gradients_match(lambda x, w=None, b=None: F.layer_norm(x, norm, w, b), *arrays, second_order=True, fast=True)


def test_group_norm_matches_torch():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 6, 3, 2)), rng.normal(size=6), rng.normal(size=6)
    assert_close_both(lambda *a: F.group_norm(a[0], 3, *a[1:]), lambda *a: TF.group_norm(a[0], 3, *a[1:]), [x, w, b])
    assert_gradients_match(lambda *a: F.group_norm(a[0], 3, *a[1:]), x, w, b, fast=True, second_order=True)


def test_layer_norm_shape_error():
    with pytest.raises(ag.ShapeError, match="normalized_shape"):
        F.layer_norm(np.zeros((2, 3)), (4,))


def test_dropout_train_and_eval():
    x = ag.Value(np.ones((200, 50)))
    y = F.dropout(x, 0.3, training=True, rng=np.random.default_rng(0))
    kept = y.data != 0
    assert 0.65 < kept.mean() < 0.75
    np.testing.assert_allclose(y.data[kept], 1 / 0.7)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, kept / 0.7)
    assert F.dropout(x, 0.3, training=False) is x
    np.testing.assert_array_equal(F.dropout(x, 1.0).data, 0)
    a = F.dropout(x, 0.5, rng=np.random.default_rng(5)).data
    b = F.dropout(x, 0.5, rng=np.random.default_rng(5)).data
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        F.dropout(x, 1.5)


def test_dropout2d_drops_whole_channels():
    y = F.dropout2d(np.ones((8, 16, 3, 3)), 0.5, rng=np.random.default_rng(0)).data
    per_channel = y.reshape(8, 16, -1)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))


def test_linear_matches_torch():
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=(2, 3, 4)), rng.normal(size=(5, 4)), rng.normal(size=5)]
    assert_close_both(F.linear, TF.linear, arrays)
    assert_gradients_match(F.linear, *arrays, second_order=True)


def test_dropout_generator_argument_and_its_rng_alias():
    x = np.ones((20, 30))
    a = F.dropout(x, 0.5, generator=np.random.default_rng(5)).data
    np.testing.assert_array_equal(a, F.dropout(x, 0.5, rng=np.random.default_rng(5)).data)
    np.testing.assert_array_equal(a, nn.Dropout(0.5, generator=np.random.default_rng(5))(x).data)
    with pytest.raises(TypeError, match="generator="):  # a Generator passed where PyTorch has inplace
        F.dropout(x, 0.5, True, np.random.default_rng(0))
    with pytest.raises(ValueError, match="generator and seed"):
        nn.Dropout(0.5, seed=1, generator=np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"numpy\.random\.Generator"):
        F.dropout2d(x[:, :, None], 0.5, generator="not a generator")


def test_manual_seed_reproduces_every_default_draw():
    x = np.ones((4, 25))
    loader = nn.DataLoader(np.arange(10.0), batch_size=10, shuffle=True)

    def draws():
        return (
            nn.Linear(3, 2).weight.data,
            nn.Dropout(0.5)(x).data,
            F.alpha_dropout(x, 0.5, training=True).data,
            next(iter(loader)),
            nn.data.random_split(np.arange(6.0), [3, 3])[0].indices,
        )

    nn.manual_seed(7)
    first = draws()
    nn.manual_seed(7)
    for a, b in zip(first, draws()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[3], np.arange(10.0))  # it did shuffle


def test_a_fresh_process_starts_from_the_documented_default_seed():
    import subprocess
    import sys

    code = (
        "import numpy as np, nn; "
        "print(nn.init.default_generator().random() == np.random.default_rng(nn.init.DEFAULT_SEED).random())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
