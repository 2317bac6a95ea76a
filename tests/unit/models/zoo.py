"""
Real architectures from `torchvision` and HuggingFace `transformers`, built
locally from configs with random weights (nothing is downloaded), reduced in
width, depth and resolution so that CI compiles each in seconds while keeping
each architecture's op mix: residual blocks, depthwise and grouped
convolutions, squeeze-and-excitation, LayerNorm over channels, patch
embeddings, attention with a padding mask, a causal decoder.

torchvision's wheel on PyPI is a CUDA build whose C extension does not load
against the CPU build of torch; its model definitions need none of it, only
`torchvision._meta_registrations` (which registers kernels of that extension)
must not run, so a stub takes its place before torchvision — or transformers,
which imports torchvision when it is present — is imported.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

_STUB = "torchvision._meta_registrations"
sys.modules.setdefault(_STUB, types.ModuleType(_STUB))


def _import(name: str) -> Any:
    return importlib.import_module(name)


def _with_batch_norm_statistics(model: nn.Module) -> nn.Module:
    """
    Non-trivial BatchNorm statistics and affine parameters: with the defaults
    (mean 0, variance 1) a random-init CNN's outputs shrink towards 1e-9 and a
    comparison would mean nothing.
    """
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                assert module.running_mean is not None
                assert module.running_var is not None
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                nn.init.uniform_(module.weight, 0.5, 1.5)
                nn.init.uniform_(module.bias, -0.5, 0.5)
    return model


def _image(size: int = 32) -> tuple[torch.Tensor, ...]:
    return (torch.randn(1, 3, size, size),)


def resnet() -> nn.Module:
    models = _import("torchvision.models.resnet")
    return models.ResNet(models.BasicBlock, [1, 1, 1, 1], num_classes=10)


def mobilenet_v2() -> nn.Module:
    models = _import("torchvision.models")
    setting = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 1, 2]]
    return models.mobilenet_v2(
        num_classes=10, width_mult=0.25, inverted_residual_setting=setting
    )


def squeezenet() -> nn.Module:
    return _import("torchvision.models").squeezenet1_1(num_classes=10)


def efficientnet() -> nn.Module:
    models = _import("torchvision.models.efficientnet")
    config = models.MBConvConfig
    stages = [config(1, 3, 1, 16, 8, 1), config(4, 3, 2, 8, 16, 1)]
    stages.append(config(4, 5, 2, 16, 24, 1))
    return models.EfficientNet(stages, dropout=0.1, num_classes=10, last_channel=64)


def convnext() -> nn.Module:
    models = _import("torchvision.models.convnext")
    stages = [models.CNBlockConfig(16, 32, 1), models.CNBlockConfig(32, None, 1)]
    return models.ConvNeXt(stages, num_classes=10)


def vit() -> nn.Module:
    models = _import("torchvision.models")
    model = models.VisionTransformer(
        image_size=32, patch_size=8, num_layers=2, num_heads=2,
        hidden_dim=32, mlp_dim=64, num_classes=10,
    )  # fmt: skip
    # torchvision starts the classifier at zero: every output would be 0.
    nn.init.normal_(model.heads.head.weight, std=0.2)
    return model


class LastHiddenState(nn.Module):
    """A transformers model called with token ids and a padding mask."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=ids, attention_mask=mask).last_hidden_state


VOCAB, SEQ = 100, 8
SMALL = {"num_hidden_layers": 2, "num_attention_heads": 2}


def bert() -> nn.Module:
    transformers = _import("transformers")
    config = transformers.BertConfig(
        vocab_size=VOCAB, hidden_size=32, intermediate_size=64,
        max_position_embeddings=32, attn_implementation="eager", **SMALL,
    )  # fmt: skip
    return LastHiddenState(transformers.BertModel(config, add_pooling_layer=False))


def distilbert() -> nn.Module:
    transformers = _import("transformers")
    config = transformers.DistilBertConfig(
        vocab_size=VOCAB, dim=32, n_layers=2, n_heads=2, hidden_dim=64,
        max_position_embeddings=32, attn_implementation="eager",
    )  # fmt: skip
    return LastHiddenState(transformers.DistilBertModel(config))


def gpt2() -> nn.Module:
    transformers = _import("transformers")
    config = transformers.GPT2Config(
        vocab_size=VOCAB, n_embd=32, n_layer=2, n_head=2, n_positions=32,
        bos_token_id=0, eos_token_id=0, use_cache=False, attn_implementation="eager",
    )  # fmt: skip
    return LastHiddenState(transformers.GPT2Model(config))


def _tokens() -> tuple[torch.Tensor, ...]:
    ids = torch.randint(0, VOCAB, (2, SEQ))
    mask = torch.ones(2, SEQ, dtype=torch.int64)
    mask[1, SEQ - 3 :] = 0  # the second sequence is padded
    return ids, mask


@dataclass(frozen=True)
class ZooModel:
    """An architecture to build and its example inputs."""

    build: Callable[[], nn.Module]
    inputs: Callable[[], tuple[torch.Tensor, ...]]

    def make(self) -> tuple[nn.Module, tuple[torch.Tensor, ...]]:
        torch.manual_seed(0)
        model = _with_batch_norm_statistics(self.build()).eval()
        return model, self.inputs()


ZOO: dict[str, ZooModel] = {
    "resnet": ZooModel(resnet, _image),
    "mobilenet_v2": ZooModel(mobilenet_v2, _image),
    "squeezenet": ZooModel(squeezenet, lambda: _image(48)),
    "efficientnet": ZooModel(efficientnet, _image),
    "convnext": ZooModel(convnext, _image),
    "vit": ZooModel(vit, _image),
    "bert": ZooModel(bert, _tokens),
    "distilbert": ZooModel(distilbert, _tokens),
    "gpt2": ZooModel(gpt2, _tokens),
}
