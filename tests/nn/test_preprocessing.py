"""nn.preprocessing: fitted on training data, applied to test data; whitening gives identity covariance
and ZCA is the whitening closest to its input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_core import ShapeError
from nn.preprocessing import MeanCenter, PCAWhitening, Standardize, ZCAWhitening


def _correlated(n, d, seed):
    rng = np.random.default_rng(seed)
    mix = rng.normal(size=(d, d)) + 2 * np.eye(d)
    return rng.normal(size=(n, d)) @ mix + rng.normal(size=d) * 3


def _cov(Z):
    Zc = Z - Z.mean(axis=0)
    return Zc.T @ Zc / Z.shape[0]


@given(st.integers(1, 5), st.integers(0, 1000))
def test_whitening_gives_identity_covariance_and_inverts(d, seed):
    X = _correlated(300, d, seed)
    for T in (PCAWhitening(eps=0), ZCAWhitening(eps=0)):
        Z = T.fit_transform(X)
        np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-10)
        np.testing.assert_allclose(_cov(Z), np.eye(d), atol=1e-8)
        np.testing.assert_allclose(T.inverse_transform(Z), X, atol=1e-8)
    Z = ZCAWhitening(eps=0).fit(X).whiten_
    np.testing.assert_allclose(Z, Z.T, atol=1e-10)  # ZCA's map is symmetric


@given(st.integers(2, 4), st.integers(0, 1000))
def test_zca_is_the_whitening_closest_to_its_input(d, seed):
    X = _correlated(400, d, seed)
    Xc = X - X.mean(axis=0)
    zca = ZCAWhitening(eps=0).fit(X)
    dist_zca = np.mean(np.sum((zca.transform(X) - Xc) ** 2, axis=1))
    dist_pca = np.mean(np.sum((PCAWhitening(eps=0).fit_transform(X) - Xc) ** 2, axis=1))
    assert dist_zca <= dist_pca + 1e-9
    rng = np.random.default_rng(seed)
    for _ in range(5):  # every Q @ W_zca (Q orthogonal) whitens too; none is closer
        Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        Z = (Xc @ zca.whiten_.T) @ Q.T
        np.testing.assert_allclose(_cov(Z), np.eye(d), atol=1e-8)
        assert dist_zca <= np.mean(np.sum((Z - Xc) ** 2, axis=1)) + 1e-9


def test_statistics_come_from_training_data_only():
    X_train, X_test = _correlated(200, 3, 0), _correlated(50, 3, 1) + 10
    for T in (MeanCenter(), Standardize(), PCAWhitening(), ZCAWhitening()):
        T.fit(X_train)
        mean = T.mean_.copy()
        out = T.transform(X_test)
        np.testing.assert_array_equal(T.mean_, mean)
        assert out.shape == X_test.shape
        assert abs(out.mean()) > 1  # the test data's shift survives: it was not re-centred on itself
    Z = Standardize().fit_transform(X_train)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1, rtol=1e-6)
    np.testing.assert_allclose(MeanCenter().fit_transform(X_train), X_train - X_train.mean(axis=0))


def test_eps_constant_features_components_and_dtypes():
    X = np.column_stack([np.linspace(0, 1, 20), np.full(20, 3.0)])
    Z = Standardize().fit_transform(X)
    assert np.isfinite(Z).all() and np.all(Z[:, 1] == 0)  # a constant feature maps to 0, not nan
    assert np.isfinite(ZCAWhitening(eps=1e-5).fit_transform(X)).all()
    pca = PCAWhitening(n_components=2).fit(_correlated(100, 4, 2))
    assert pca.transform(_correlated(10, 4, 3)).shape == (10, 2)
    assert np.all(np.diff(pca.explained_variance_) <= 0)  # largest variance first
    X32 = _correlated(50, 2, 0).astype(np.float32)
    assert ZCAWhitening().fit_transform(X32).dtype == np.float32
    assert MeanCenter().fit(np.arange(6).reshape(3, 2)).transform(np.ones(2)).shape == (1, 2)


def test_errors_are_clear():
    with pytest.raises(RuntimeError, match="fit"):
        ZCAWhitening().transform(np.ones((2, 2)))
    T = Standardize().fit(np.ones((4, 3)))
    with pytest.raises(ShapeError, match="3"):
        T.transform(np.ones((2, 2)))
    with pytest.raises(ValueError, match="n_components"):
        PCAWhitening(n_components=3).fit(np.ones((4, 2)))
    with pytest.raises(ValueError, match="eps"):
        ZCAWhitening(eps=-1)
    with pytest.raises(ShapeError, match="n_samples"):
        MeanCenter().fit(np.ones((2, 2, 2)))
