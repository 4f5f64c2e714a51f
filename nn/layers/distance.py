"""Distance Modules (PyTorch's torch.nn.modules.distance): PairwiseDistance, CosineSimilarity."""

from .. import functional as F
from ..module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance"]


class PairwiseDistance(Module):
    """||x1 - x2 + eps||_p over the last dimension (F.pairwise_distance). forward(x1 (N, D), x2 (N, D))
    -> (N,) ((N, 1) with keepdim)."""

    def __init__(self, p=2.0, eps=1e-6, keepdim=False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        """The p-norm distance between corresponding rows of x1 and x2."""
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class CosineSimilarity(Module):
    """Cosine similarity along ``dim`` (F.cosine_similarity, PyTorch's eps rule): forward(x1, x2) with
    broadcastable shapes -> their broadcast shape without ``dim``."""

    def __init__(self, dim=1, eps=1e-8):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        """``sum(x1 x2, dim) / (max(||x1||, eps) max(||x2||, eps))``."""
        return F.cosine_similarity(x1, x2, self.dim, self.eps)
