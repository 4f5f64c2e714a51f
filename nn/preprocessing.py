"""Input preprocessing that neural-network textbooks teach: centring, standardising, PCA and ZCA whitening.

Each is a small fitted object: ``fit(X_train)`` learns statistics from the training data only,
``transform(X)`` applies them to any data (test data included), ``fit_transform`` does both and
``inverse_transform`` undoes the map. Inputs and outputs are numpy arrays of shape
(n_samples, n_features) (a 1-D array is one sample); float32 stays float32, anything else becomes
float64. Nothing here is recorded by autograd: preprocessing is fixed before training.

Sources: the whitening transforms follow the UFLDL tutorial ("PCA Whitening", "ZCA Whitening") and
CS231n's "Data preprocessing" notes; that ZCA is the whitening closest to the original data (least
mean squared change) is Kessy, Lewin & Strimmer (2018), "Optimal whitening and decorrelation",
The American Statistician 72(4).

``eps`` (each class documents its use) is added to variances before taking a square root, so a
feature or direction of (near) zero variance gives finite outputs instead of a division by zero;
it also damps the noise that whitening would otherwise blow up in low-variance directions.
"""

import numpy as np

from autograd_core import ShapeError

__all__ = ["MeanCenter", "PCAWhitening", "Standardize", "ZCAWhitening"]


def _as_2d(X, name, n_features=None):
    """X as a float array of shape (n, d): 1-D is one sample; checks the feature count."""
    X = np.asarray(X)
    if X.dtype.kind not in "fiub":
        raise TypeError(f"{name}: expected numbers, got dtype {X.dtype}")
    X = X.astype(X.dtype if X.dtype in (np.float32, np.float64) else np.float64, copy=False)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2:
        raise ShapeError(f"{name}: expected an array (n_samples, n_features), got shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ShapeError(f"{name}: X has {X.shape[1]} features but the transform was fitted on {n_features}")
    return X


class _Fitted:
    """fit / transform / fit_transform / inverse_transform plumbing shared by the transforms below."""

    def __init__(self):
        self.mean_ = None

    def _check_fitted(self, what):
        if self.mean_ is None:
            raise RuntimeError(f"{type(self).__name__}.{what}: not fitted yet; call fit(X_train) first")

    def fit(self, X):
        """Learn the statistics from training data X (n_samples, n_features); returns self."""
        X = _as_2d(X, f"{type(self).__name__}.fit")
        if X.shape[0] < 1:
            raise ShapeError(f"{type(self).__name__}.fit: needs at least one sample, got shape {X.shape}")
        self._fit(X.astype(np.float64))
        return self

    def transform(self, X):
        """Apply the fitted map to X (n_samples, n_features) -> (n_samples, n_out), in X's float dtype."""
        self._check_fitted("transform")
        X = _as_2d(X, f"{type(self).__name__}.transform", self.mean_.shape[0])
        return self._forward(X.astype(np.float64)).astype(X.dtype, copy=False)

    def fit_transform(self, X):
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        """Map transformed data back to the input space (exact up to round-off, and up to the
        dropped components when fewer were kept)."""
        self._check_fitted("inverse_transform")
        Z = _as_2d(Z, f"{type(self).__name__}.inverse_transform", self._n_out())
        return self._backward(Z.astype(np.float64)).astype(Z.dtype, copy=False)

    def _n_out(self):
        return self.mean_.shape[0]


class MeanCenter(_Fitted):
    """Subtract the per-feature training mean: ``X - mean_`` (``mean_`` shape (n_features,))."""

    def _fit(self, X):
        self.mean_ = X.mean(axis=0)

    def _forward(self, X):
        return X - self.mean_

    def _backward(self, Z):
        return Z + self.mean_


class Standardize(_Fitted):
    """Per feature, ``(X - mean_) / scale_`` with ``scale_ = sqrt(var + eps)`` (variance over the
    training samples, ddof 0): zero mean, unit variance on the training data.

    ``eps`` (default 1e-8) keeps a constant feature finite (it maps to 0).
    """

    def __init__(self, eps=1e-8):
        super().__init__()
        if eps < 0:
            raise ValueError(f"Standardize: eps must be non-negative, got {eps}")
        self.eps = eps

    def _fit(self, X):
        self.mean_ = X.mean(axis=0)
        self.scale_ = np.sqrt(X.var(axis=0) + self.eps)

    def _forward(self, X):
        return (X - self.mean_) / self.scale_

    def _backward(self, Z):
        return Z * self.scale_ + self.mean_


class _Whitening(_Fitted):
    def __init__(self, eps=1e-5, n_components=None):
        super().__init__()
        if eps < 0:
            raise ValueError(f"{type(self).__name__}: eps must be non-negative, got {eps}")
        self.eps, self.n_components = eps, n_components

    def _fit(self, X):
        """Eigen-decompose the training covariance (over n samples, ddof 0) and build the maps."""
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        cov = Xc.T @ Xc / X.shape[0]
        variances, vectors = np.linalg.eigh(cov)
        order = np.argsort(variances)[::-1]
        variances, vectors = np.clip(variances[order], 0, None), vectors[:, order]
        # a deterministic sign: each direction's largest-magnitude entry is positive
        signs = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(vectors.shape[1])])
        vectors = vectors * np.where(signs == 0, 1, signs)
        k = self._components(X.shape[1])
        self.explained_variance_, self.components_ = variances[:k], vectors[:, :k].T  # (k,), (k, d)
        scale = np.sqrt(self.explained_variance_ + self.eps)
        self._build(scale)

    def _components(self, d):
        k = d if self.n_components is None else int(self.n_components)
        if not 1 <= k <= d:
            raise ValueError(f"{type(self).__name__}: n_components must be in [1, {d}], got {self.n_components}")
        return k

    def _forward(self, X):
        return (X - self.mean_) @ self.whiten_.T

    def _backward(self, Z):
        return Z @ self.dewhiten_.T + self.mean_

    def _n_out(self):
        return self.whiten_.shape[0]


class PCAWhitening(_Whitening):
    """Rotate onto the principal axes and scale each to unit variance:
    ``Z = (X - mean_) U diag(1 / sqrt(lambda + eps))`` with U the covariance eigenvectors (largest
    variance first) and lambda their variances.

    ``n_components`` keeps only the leading k directions (dimension reduction); ``eps`` (default
    1e-5) is added to each variance (UFLDL's regulariser). On the training data, cov(Z) = I up to
    eps. Fitted attributes: ``mean_``, ``components_`` (k, d), ``explained_variance_`` (k,),
    ``whiten_`` (k, d) with Z = (X - mean_) whiten_ᵀ.
    """

    def _build(self, scale):
        self.whiten_ = self.components_ / scale[:, None]
        self.dewhiten_ = self.components_.T * scale[None, :]


class ZCAWhitening(_Whitening):
    """PCA whitening rotated back to the input axes: ``Z = (X - mean_) U diag(1 / sqrt(lambda + eps)) Uᵀ``.

    Of all whitening maps (cov(Z) = I), ZCA changes the data least (Kessy et al. 2018): each output
    feature stays aligned with its input feature, which is why it is used for images. ``eps``
    (default 1e-5; CS231n and UFLDL use 1e-5 to 0.1 for pixels) is added to each variance;
    ``n_components`` as in PCAWhitening (the output keeps all d features). Fitted attributes as
    PCAWhitening's, with ``whiten_`` (d, d) symmetric.
    """

    def _build(self, scale):
        self.whiten_ = self.components_.T @ (self.components_ / scale[:, None])
        self.dewhiten_ = self.components_.T @ (self.components_ * scale[:, None])
