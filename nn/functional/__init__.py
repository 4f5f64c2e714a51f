"""nn.functional: stateless versions of every layer (PyTorch's names, argument orders and defaults)."""

from .activations import (
    celu,
    elu,
    gelu,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    logsigmoid,
    maxout,
    mish,
    mpelu,
    prelu,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softmin,
    softplus,
    swish,
    tanh,
)
from .activations_extra import glu, hardshrink, rrelu, softshrink, softsign, tanhshrink, threshold
from .adaptive_max_pool import adaptive_max_pool1d, adaptive_max_pool2d
from .attention import scaled_dot_product_attention
from .conv import conv1d, conv2d, conv3d, conv_output_size, conv_padding
from .conv_transpose import conv_transpose1d, conv_transpose2d, conv_transpose3d, conv_transpose_output_size
from .divergence import cosine_similarity, kl_div
from .dropout import alpha_dropout, dropout, dropout1d, dropout2d, dropout3d
from .fold import fold, unfold
from .linear import bilinear, linear
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from .losses_embedding import (
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    pairwise_distance,
    triplet_margin_loss,
)
from .losses_likelihood import gaussian_nll_loss, poisson_nll_loss
from .losses_margin import multi_margin_loss, multilabel_soft_margin_loss, soft_margin_loss
from .normalization import (
    batch_norm,
    batch_norm_stats,
    group_norm,
    instance_norm,
    layer_norm,
    local_response_norm,
    normalize,
    rms_norm,
)
from .padding import pad
from .pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    lp_pool1d,
    lp_pool2d,
    max_pool1d,
    max_pool2d,
    max_pool3d,
    pool_output_size,
    window_max,
)
from .shuffle import channel_shuffle, pixel_shuffle, pixel_unshuffle
from .sparse import embedding, embedding_renorm_, one_hot
from .upsampling import interpolate, upsample
