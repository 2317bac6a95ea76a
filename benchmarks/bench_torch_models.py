"""
Real architectures for the benchmark, as PyTorch modules with random weights.

ResNet-18 and MobileNetV2 from torchvision (1x3x224x224) and a BERT-style
encoder built by HuggingFace `transformers` from a config (sequence 128).
mlc imports each with `mlc.import_torch`; onnxruntime runs its
`torch.onnx.export`; PyTorch eager runs the module. There is no numpy
implementation: mlc's result is checked against PyTorch's.

torchvision's wheel on PyPI is a CUDA build whose C extension does not load
against the CPU build of torch; its classification models need none of it,
only `torchvision._meta_registrations` (imported by the package) must not run,
so a stub takes its place in `sys.modules` before torchvision is imported.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TorchModel:
    """A benchmark model given as a PyTorch module and one example input."""

    name: str
    description: str
    build: Callable[[], tuple[Any, Any]]
    """(module in eval mode, input tensor), seeded."""
    flops: float = 0.0


def _torchvision() -> Any:
    stub = "torchvision._meta_registrations"
    sys.modules.setdefault(stub, types.ModuleType(stub))
    return importlib.import_module("torchvision")


def _torch() -> Any:
    return importlib.import_module("torch")


def _with_batch_norm_statistics(model: Any) -> Any:
    """
    Random, non-trivial BatchNorm statistics and affine: with the defaults
    (mean 0, var 1) a random-init CNN's outputs shrink towards 1e-9, so a
    comparison would mean nothing.
    """
    torch = _torch()
    nn = torch.nn
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                assert module.running_mean is not None
                assert module.running_var is not None
                module.running_mean.uniform_(-0.1, 0.1)
                module.running_var.uniform_(0.5, 1.5)
                module.weight.uniform_(0.8, 1.2)
                module.bias.uniform_(-0.1, 0.1)
    return model.eval()


def _vision(arch: str) -> Callable[[], tuple[Any, Any]]:
    def build() -> tuple[Any, Any]:
        torch = _torch()
        torch.manual_seed(0)
        model = getattr(_torchvision().models, arch)(weights=None)
        return _with_batch_norm_statistics(model), torch.randn(1, 3, 224, 224)

    return build


BERT = {"hidden": 256, "layers": 4, "heads": 4, "ffn": 1024, "seq": 128}


def _bert() -> tuple[Any, Any]:
    torch = _torch()
    _torchvision()  # transformers imports torchvision: its stub first
    transformers: Any = importlib.import_module("transformers")

    class Encoder(torch.nn.Module):
        """BertModel without pooler; its last hidden state is the output."""

        def __init__(self) -> None:
            torch.nn.Module.__init__(self)
            config = transformers.BertConfig(
                vocab_size=1000,
                hidden_size=BERT["hidden"],
                num_hidden_layers=BERT["layers"],
                num_attention_heads=BERT["heads"],
                intermediate_size=BERT["ffn"],
                max_position_embeddings=BERT["seq"],
                attn_implementation="eager",
            )
            self.bert = transformers.BertModel(config, add_pooling_layer=False)

        def forward(self, ids: Any) -> Any:
            # Explicit token types: the default reads a buffer through
            # aten.gather, which mlc does not import yet.
            types_ = torch.zeros_like(ids)
            return self.bert(input_ids=ids, token_type_ids=types_).last_hidden_state

    torch.manual_seed(0)
    return Encoder().eval(), torch.randint(0, 1000, (1, BERT["seq"]))


def torch_models() -> list[TorchModel]:
    """The real architectures, in the table's order."""
    h, n = BERT["hidden"], BERT["layers"]
    return [
        TorchModel(
            "resnet18", "ResNet-18 (torchvision), 1x3x224x224", _vision("resnet18")
        ),
        TorchModel(
            "mobilenet_v2",
            "MobileNetV2 (torchvision), 1x3x224x224",
            _vision("mobilenet_v2"),
        ),
        TorchModel(
            "bert",
            f"BERT-style encoder ({n} layers, d {h}, seq {BERT['seq']}, transformers)",
            _bert,
        ),
    ]
