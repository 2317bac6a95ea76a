"""
Small PyTorch models for the whole-model tests: an MLP, a LeNet-style CNN, a
CNN with BatchNorm and a residual block, a MobileNetV2-style CNN (inverted
residual blocks with depthwise convolutions), and transformer encoder blocks
(with `nn.MultiheadAttention` and with hand-written attention).

Each builder seeds PyTorch, so a model and its input are the same on every
run; BatchNorm statistics are randomized so normalization is not the identity.
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(16, 32),
            nn.ReLU(),
            nn.Linear(32, 32),
            nn.GELU(),
            nn.Dropout(0.2),
            nn.Linear(32, 24),
            nn.Tanh(),
            nn.Linear(24, 10),
            nn.Sigmoid(),
            nn.Linear(10, 10),
            nn.Softmax(dim=-1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class LeNet(nn.Module):
    """LeNet-5's shape at a small size: conv, pool, conv, pool, three linears."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3),
            nn.Tanh(),
            nn.AvgPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(8 * 3 * 3, 32),
            nn.ReLU(),
            nn.Linear(32, 16),
            nn.ReLU(),
            nn.Linear(16, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


class ResidualBlock(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(y)))


class ResNet(nn.Module):
    """Stem (conv, BatchNorm, ReLU, max pool), a residual block, a linear head."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=1, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.block = ResidualBlock(8)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.head = nn.Linear(8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pool(self.block(self.stem(x)))
        return self.head(torch.flatten(y, 1))


def conv_bn(cin: int, cout: int, kernel: int, stride: int, groups: int) -> nn.Module:
    """Conv (no bias), BatchNorm, ReLU6: MobileNetV2's unit."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU6(),
    )


class InvertedResidual(nn.Module):
    """1x1 expansion, 3x3 depthwise, 1x1 linear projection; a residual at stride 1."""

    def __init__(self, cin: int, cout: int, stride: int, expand: int) -> None:
        super().__init__()
        hidden = cin * expand
        self.residual = stride == 1 and cin == cout
        self.layers = nn.Sequential(
            conv_bn(cin, hidden, 1, 1, 1),
            conv_bn(hidden, hidden, 3, stride, hidden),
            nn.Conv2d(hidden, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.layers(x)
        return x + y if self.residual else y


class MobileNetV2(nn.Module):
    """A stem, inverted residual blocks (stride 1 with residual, stride 2), a head."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(3, 8, 3, 2, 1),
            InvertedResidual(8, 8, 1, 6),
            InvertedResidual(8, 16, 2, 6),
            InvertedResidual(16, 16, 1, 6),
            conv_bn(16, 32, 1, 1, 1),
        )
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.head = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.flatten(self.pool(self.features(x)), 1))


class Attention(nn.Module):
    """Hand-written multi-head self-attention."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, dim = x.shape
        head_dim = dim // self.heads
        qkv = self.qkv(x).reshape(batch, length, 3, self.heads, head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        scores = q @ k.transpose(-2, -1) / head_dim**0.5
        attended = torch.softmax(scores, dim=-1) @ v
        return self.out(attended.transpose(1, 2).reshape(batch, length, dim))


class EncoderBlock(nn.Module):
    """A pre-norm transformer encoder block: attention and a GELU feed-forward."""

    def __init__(self, dim: int = 16, heads: int = 4, manual: bool = False) -> None:
        super().__init__()
        self.manual = manual
        self.norm1 = nn.LayerNorm(dim)
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.attention = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(
            nn.Linear(dim, 2 * dim), nn.GELU(), nn.Dropout(0.1), nn.Linear(2 * dim, dim)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.norm1(x)
        if self.manual:
            a = self.attention(h)
        else:
            a = self.mha(h, h, h, need_weights=False)[0]
        x = x + a
        return x + self.ffn(self.norm2(x))


@dataclass(frozen=True)
class Case:
    """A model to build and the shape of its one input."""

    build: Callable[[], nn.Module]
    input_shape: tuple[int, ...]

    def make(self) -> tuple[nn.Module, torch.Tensor]:
        torch.manual_seed(0)
        model = self.build()
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                assert module.running_mean is not None
                assert module.running_var is not None
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                nn.init.uniform_(module.weight, 0.5, 1.5)
                nn.init.uniform_(module.bias, -0.5, 0.5)
        return model.eval(), torch.randn(self.input_shape)


MODELS: dict[str, Case] = {
    "mlp": Case(MLP, (4, 16)),
    "lenet": Case(LeNet, (2, 1, 16, 16)),
    "resnet": Case(ResNet, (2, 3, 8, 8)),
    "mobilenet_v2": Case(MobileNetV2, (2, 3, 30, 30)),
    "encoder_mha": Case(EncoderBlock, (2, 6, 16)),
    "encoder_manual": Case(lambda: EncoderBlock(manual=True), (2, 6, 16)),
}
