# ruff: noqa: A002  (PyTorch names the first argument `input`)
"""Loss Modules over nn.functional's margin, embedding and likelihood losses, with PyTorch's
constructor arguments and defaults; class weights are buffers (saved in the state dict)."""

from .. import functional as F
from .loss import _buffer, _Loss

__all__ = [
    "CosineEmbeddingLoss",
    "KLDivLoss",
    "GaussianNLLLoss",
    "HingeEmbeddingLoss",
    "MarginRankingLoss",
    "MultiLabelSoftMarginLoss",
    "MultiMarginLoss",
    "PoissonNLLLoss",
    "SoftMarginLoss",
    "TripletMarginLoss",
]


class MarginRankingLoss(_Loss):
    """max(0, -y (x1 - x2) + margin) (F.margin_ranking_loss). forward(input1, input2, target)."""

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        """The loss of ranking input1 above input2 where target is 1 (below where -1)."""
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """x where y = 1, max(0, margin - x) where y = -1 (F.hinge_embedding_loss). forward(input, target)."""

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        """The hinge embedding loss of distances ``input`` with +-1 labels ``target``."""
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y x)), stable for any x (F.soft_margin_loss). forward(input, target)."""

    def forward(self, input, target):
        """The two-class logistic loss of scores ``input`` with +-1 labels ``target``."""
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_Loss):
    """Per-class logistic loss averaged over the C classes (F.multilabel_soft_margin_loss);
    ``weight`` (C,) a buffer. forward(input (N, C), target (N, C))."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        _buffer(self, "weight", weight)

    def forward(self, input, target):
        """The multi-label loss of logits ``input`` with 0/1 (or soft) targets."""
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """1 - cos where y = 1, max(0, cos - margin) where y = -1 (F.cosine_embedding_loss).
    forward(input1 (N, D), input2 (N, D), target (N,))."""

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        """The cosine embedding loss of the pairs (input1[n], input2[n]) with +-1 labels."""
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class MultiMarginLoss(_Loss):
    """Multi-class hinge loss (F.multi_margin_loss); p 1 or 2, ``weight`` (C,) a buffer.
    forward(input (N, C), target (N,) integers). Raises ValueError for another p or a weight not 1-d."""

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError(f"MultiMarginLoss: only p == 1 and p == 2 are supported, got {p}")
        if weight is not None and getattr(weight, "ndim", 1) != 1:
            raise ValueError("MultiMarginLoss: weight must be a 1-d array (one per class)")
        self.p, self.margin = p, margin
        _buffer(self, "weight", weight)

    def forward(self, input, target):
        """The multi-class hinge loss of scores ``input`` for classes ``target``."""
        return F.multi_margin_loss(
            input, target, p=self.p, margin=self.margin, weight=self.weight, reduction=self.reduction
        )


class TripletMarginLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)) (F.triplet_margin_loss; ``swap``: Balntas et al. 2016).
    forward(anchor, positive, negative), each (N, D). Raises ValueError for margin <= 0."""

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        if not margin > 0:
            raise ValueError(f"TripletMarginLoss: margin must be greater than 0, got {margin}")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        """The triplet loss of (anchor, positive, negative) rows."""
        return F.triplet_margin_loss(
            anchor, positive, negative, self.margin, self.p, self.eps, self.swap, reduction=self.reduction
        )


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood (F.poisson_nll_loss): exp(x) - t x with ``log_input``, else
    x - t log(x + eps); ``full`` adds Stirling's term. forward(input, target)."""

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input, target):
        """The loss of rates (log-rates with ``log_input``) ``log_input`` for counts ``target``."""
        return F.poisson_nll_loss(
            log_input, target, log_input=self.log_input, full=self.full, eps=self.eps, reduction=self.reduction
        )


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood 0.5 (log v + (x - t)**2 / v), v = max(var, eps)
    (F.gaussian_nll_loss). forward(input, target, var)."""

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input, target, var):
        """The loss of means ``input`` and variances ``var`` for observations ``target``."""
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


class KLDivLoss(_Loss):
    """KL divergence with ``input`` log-probabilities (F.kl_div): forward(input, target), the same shape;
    ``reduction`` 'mean' (PyTorch's: over elements, with its warning), 'batchmean' (the mathematical KL
    per sample), 'sum' or 'none'; ``log_target`` when target holds log-probabilities."""

    _index_args = ()

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        if reduction == "batchmean":  # F.kl_div's own reduction, which _Loss's check does not list
            super().__init__(size_average, reduce, "mean")
            self.reduction = "batchmean"
        else:
            super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        """The KL divergence of target from input's distribution."""
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
