"""What an importer returns, and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp


class UnsupportedModelError(ValueError):
    """A model mlc cannot import; the message is one line naming what and where."""


@dataclass
class ImportedModel:
    """A graph-level module with its entry function and parameter values."""

    module: ModuleOp
    entry: str
    params: dict[str, np.ndarray[Any, np.dtype[Any]]] = field(
        default_factory=lambda: {}
    )
