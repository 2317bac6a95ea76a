"""
ONNX converters: RNN, GRU and LSTM, unrolled over their static sequence at
import.

Each direction projects the whole input at once, `X · Wᵀ + (Wb + Rb)` (one
`linear` over `[seq, batch, input]`, so the GEMM kernel does the bulk of the
work), then runs one step per time index: `H · Rᵀ` (a `linear` by the
direction's recurrence weight), the gate slices and their activations, as
the ONNX operator definitions write them (gate orders `i o f c` for LSTM,
`z r h` for GRU; GRU's `linear_before_reset` both ways; LSTM peepholes and
`input_forget`, the coupled gates `f = 1 - i` as onnxruntime computes them).
Every direction (forward, reverse, bidirectional), the `activations` with
their `activation_alpha`/`activation_beta` (consumed in order by the
activations that take them, with onnxruntime's defaults), `clip` (applied to
each gate's pre-activation), `initial_h`/`initial_c`, every output and both
layouts are supported.

`sequence_lens` must be known at import (mlc's shapes are static): a batch
entry past its length keeps its state and outputs zeros in `Y`. Run in
reverse, steps at or past the length are skipped the same way, so the
reverse pass starts at the entry's last valid step, as the definition says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.activation import plus, scaled, softplus, split_sign
from mlc.frontend.onnx.importer import (
    Node,
    Output,
    constant_of,
    converter,
    scalar_attr,
)

Activation = Callable[[Node, SSAValue, float, float], SSAValue]


def _unary(op: type[graph.UnaryOp]) -> Activation:
    def apply(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
        return node.emit(op(x))

    return apply


def _affine(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    return plus(node, scaled(node, x, alpha), beta)


def _leaky_relu(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    positive, negative = split_sign(node, x)
    return node.emit(graph.AddOp(positive, scaled(node, negative, alpha)))


def _thresholded_relu(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    dtype = value_dtype(x)
    above = compose.less(node, node.scalar(alpha, dtype), x)
    return node.emit(graph.WhereOp(above, x, node.scalar(0, dtype)))


def _scaled_tanh(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    return scaled(node, node.emit(graph.TanhOp(scaled(node, x, beta))), alpha)


def _hard_sigmoid(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    linear = plus(node, scaled(node, x, alpha), beta)
    return node.emit(graph.ClipOp(linear, scalar_attr(0, x), scalar_attr(1, x)))


def _elu(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    positive, negative = split_sign(node, x)
    tail = plus(node, node.emit(graph.ExpOp(negative)), -1)
    return node.emit(graph.AddOp(positive, scaled(node, tail, alpha)))


def _softsign(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    return node.emit(graph.DivOp(x, plus(node, node.emit(graph.AbsOp(x)), 1)))


def _softplus(node: Node, x: SSAValue, alpha: float, beta: float) -> SSAValue:
    return softplus(node, x)


ACTIVATIONS: dict[str, tuple[Activation, tuple[float, ...]]] = {
    "relu": (_unary(graph.ReluOp), ()),
    "tanh": (_unary(graph.TanhOp), ()),
    "sigmoid": (_unary(graph.SigmoidOp), ()),
    "affine": (_affine, (1.0, 0.0)),
    "leakyrelu": (_leaky_relu, (0.01,)),
    "thresholdedrelu": (_thresholded_relu, (1.0,)),
    "scaledtanh": (_scaled_tanh, (1.0, 1.0)),
    "hardsigmoid": (_hard_sigmoid, (0.2, 0.5)),
    "elu": (_elu, (1.0,)),
    "softsign": (_softsign, ()),
    "softplus": (_softplus, ()),
}
"""Activation name (lower case) -> (function, defaults of the alpha/beta it takes)."""

Gate = Callable[[SSAValue], SSAValue]


@dataclass
class Cell:
    """What a direction's steps share: the node, sizes, weights and activations."""

    node: Node
    hidden: int
    recurrence: SSAValue  # R of the direction: [gates * hidden, hidden]
    activations: list[Gate]
    clip: float | None

    def act(self, index: int, x: SSAValue) -> SSAValue:
        if self.clip is not None:
            x = self.node.emit(
                graph.ClipOp(x, scalar_attr(-self.clip, x), scalar_attr(self.clip, x))
            )
        return self.activations[index](x)

    def gate(self, x: SSAValue, index: int, count: int = 1) -> SSAValue:
        """Columns `[index * hidden, (index + count) * hidden)` of `x`."""
        start = index * self.hidden
        end = start + count * self.hidden
        return self.node.emit(graph.SliceOp(x, [start], [end], [1]))

    def add(self, x: SSAValue, y: SSAValue) -> SSAValue:
        return self.node.emit(graph.AddOp(x, y))

    def mul(self, x: SSAValue, y: SSAValue) -> SSAValue:
        return self.node.emit(graph.MulOp(x, y))

    def recur(self, h: SSAValue, first: int, count: int) -> SSAValue:
        """`h · Rᵀ` for gates `[first, first + count)` (zeros for a zero `h`)."""
        known = constant_of(h)
        if known is not None and not known.any():
            batch = value_shape(h)[0]
            zeros = np.zeros((batch, count * self.hidden), value_dtype(h))
            return self.node.const(zeros)
        weight = self.recurrence
        gates = value_shape(weight)[0] // self.hidden
        if (first, count) != (0, gates):
            start, end = first * self.hidden, (first + count) * self.hidden
            weight = self.node.emit(graph.SliceOp(weight, [start], [end], [0]))
        return self.node.emit(graph.LinearOp(h, weight))


def _activations(node: Node, per_direction: int, defaults: list[str]) -> list[Gate]:
    """Every direction's activation functions, alpha and beta bound."""
    names = [
        n.decode() if isinstance(n, bytes) else str(n)
        for n in node.attr("activations", [])
    ] or defaults
    directions = _directions(node)
    if len(names) == per_direction and directions == 2:
        names = names * 2
    if len(names) != per_direction * directions:
        raise node.error(
            f"expects {per_direction * directions} activations, got {len(names)}"
        )
    alphas = [float(a) for a in node.attr("activation_alpha", [])]
    betas = [float(b) for b in node.attr("activation_beta", [])]
    gates: list[Gate] = []
    for name in names:
        found = ACTIVATIONS.get(name.lower())
        if found is None:
            raise node.error(f"activation '{name}' is not supported")
        fn, params = found
        alpha = alphas.pop(0) if params and alphas else (params or (0.0,))[0]
        beta_default = params[1] if len(params) > 1 else 0.0
        beta = betas.pop(0) if len(params) > 1 and betas else beta_default

        def gate(
            x: SSAValue, fn: Activation = fn, alpha: float = alpha, beta: float = beta
        ) -> SSAValue:
            return fn(node, x, alpha, beta)

        gates.append(gate)
    return gates


def _directions(node: Node) -> int:
    direction = str(node.attr("direction", "forward"))
    if direction not in ("forward", "reverse", "bidirectional"):
        raise node.error(f"unknown direction '{direction}'")
    return 2 if direction == "bidirectional" else 1


def _reversed(node: Node, index: int) -> bool:
    return str(node.attr("direction", "forward")) == "reverse" or index == 1


@dataclass
class Recurrence:
    """A node's shared inputs, time-major: X, per-direction slices, masks."""

    node: Node
    gates: int
    x: SSAValue  # [seq, batch, input]
    hidden: int
    masks: list[SSAValue] | None  # per step: [batch, 1] bool, t < sequence_lens

    @property
    def steps(self) -> int:
        return value_shape(self.x)[0]

    @property
    def batch(self) -> int:
        return value_shape(self.x)[1]

    def weight(self, index: int, direction: int) -> SSAValue:
        """Input `index` (W, R) of one direction: [gates * hidden, ...]."""
        w = self.node.input(index)
        shape = value_shape(w)
        one = self.node.emit(graph.SliceOp(w, [direction], [direction + 1], [0]))
        return self.node.emit(graph.ReshapeOp(one, shape[1:]))

    def bias(self, direction: int) -> tuple[SSAValue, SSAValue] | None:
        """(Wb, Rb) of one direction, each [gates * hidden]."""
        if not self.node.has(3):
            return None
        size = self.gates * self.hidden
        b = self.weight(3, direction)
        wb = self.node.emit(graph.SliceOp(b, [0], [size], [0]))
        rb = self.node.emit(graph.SliceOp(b, [size], [2 * size], [0]))
        return wb, rb

    def initial(self, index: int, direction: int) -> SSAValue:
        """initial_h (index 5) or initial_c (6) of a direction: [batch, hidden]."""
        dtype = value_dtype(self.x)
        if not self.node.has(index):
            zeros = np.zeros((self.batch, self.hidden), dtype)
            return self.node.const(zeros)
        state = self.node.input(index)
        if int(self.node.attr("layout", 0)):
            state = self.node.emit(graph.TransposeOp(state, (1, 0, 2)))
        one = self.node.emit(graph.SliceOp(state, [direction], [direction + 1], [0]))
        return self.node.emit(graph.ReshapeOp(one, (self.batch, self.hidden)))

    def project(self, direction: int, bias: SSAValue | None) -> SSAValue:
        """X · Wᵀ + bias of one direction: [seq, batch, gates * hidden]."""
        w = self.weight(1, direction)
        return self.node.emit(graph.LinearOp(self.x, w, bias))

    def step_input(self, projected: SSAValue, t: int) -> SSAValue:
        one = self.node.emit(graph.SliceOp(projected, [t], [t + 1], [0]))
        width = value_shape(projected)[2]
        return self.node.emit(graph.ReshapeOp(one, (self.batch, width)))

    def hold(self, t: int, new: SSAValue, old: SSAValue) -> SSAValue:
        """`new` where step t is within the entry's length, else `old`."""
        if self.masks is None:
            return new
        return self.node.emit(graph.WhereOp(self.masks[t], new, old))

    def order(self, direction: int) -> range:
        if _reversed(self.node, direction):
            return range(self.steps - 1, -1, -1)
        return range(self.steps)


def _recurrence(node: Node, gates: int) -> Recurrence:
    x = node.input(0)
    if len(value_shape(x)) != 3:
        raise node.error(f"expects a 3-D X, got shape {list(value_shape(x))}")
    if int(node.attr("layout", 0)):
        x = node.emit(graph.TransposeOp(x, (1, 0, 2)))
    steps, batch, _ = value_shape(x)
    w_rows = value_shape(node.input(1))[1]
    hidden = int(node.attr("hidden_size", w_rows // gates))
    if w_rows != gates * hidden:
        raise node.error(f"W has {w_rows} rows, expected {gates} x {hidden}")
    masks: list[SSAValue] | None = None
    lengths = node.ints_input(4, "sequence_lens")
    if lengths is not None:
        if len(lengths) != batch:
            raise node.error(f"sequence_lens has {len(lengths)} entries for {batch}")
        if any(n < 0 or n > steps for n in lengths):
            raise node.error(f"sequence_lens {lengths} outside [0, {steps}]")
        if any(n != steps for n in lengths):
            valid = np.arange(steps)[:, None] < np.asarray(lengths)[None, :]
            masks = [node.const(valid[t].reshape(batch, 1)) for t in range(steps)]
    return Recurrence(node, gates, x, hidden, masks)


def _outputs(
    rec: Recurrence, ys: list[list[SSAValue]], finals: list[list[SSAValue]]
) -> list[Output]:
    """Y [seq, dirs, batch, hidden] and the final states [dirs, batch, hidden]."""
    node = rec.node
    layout = int(node.attr("layout", 0))
    outputs: list[Output] = [None]
    if node.wants(0):
        per_direction: list[SSAValue] = []
        for steps in ys:
            rows = [
                node.emit(graph.ReshapeOp(h, (1, 1, rec.batch, rec.hidden)))
                for h in steps
            ]
            per_direction.append(_concat(node, rows, 0))
        y = _concat(node, per_direction, 1)
        if layout:
            y = node.emit(graph.TransposeOp(y, (2, 0, 1, 3)))
        outputs[0] = y
    for states in finals:
        rows = [
            node.emit(graph.ReshapeOp(s, (1, rec.batch, rec.hidden))) for s in states
        ]
        final = _concat(node, rows, 0)
        if layout:
            final = node.emit(graph.TransposeOp(final, (1, 0, 2)))
        outputs.append(final)
    return outputs


def _concat(node: Node, values: list[SSAValue], axis: int) -> SSAValue:
    return values[0] if len(values) == 1 else node.emit(graph.ConcatOp(values, axis))


def _run(
    rec: Recurrence,
    step: Callable[[int, int, SSAValue, list[SSAValue]], list[SSAValue]],
    states: int,
) -> list[Output]:
    """Run `step(direction, t, x_t, state) -> new state` over every direction."""
    zero = rec.node.const(np.zeros((rec.batch, rec.hidden), value_dtype(rec.x)))
    ys: list[list[SSAValue]] = []
    finals: list[list[SSAValue]] = [[] for _ in range(states)]
    for direction in range(_directions(rec.node)):
        state = [rec.initial(5 + i, direction) for i in range(states)]
        projected = _projected(rec, direction)
        outputs: dict[int, SSAValue] = {}
        for t in rec.order(direction):
            new = step(direction, t, rec.step_input(projected, t), state)
            state = [rec.hold(t, n, s) for n, s in zip(new, state, strict=True)]
            outputs[t] = rec.hold(t, new[0], zero)
        ys.append([outputs[t] for t in range(rec.steps)])
        for i, s in enumerate(state):
            finals[i].append(s)
    return _outputs(rec, ys, finals)


def _projected(rec: Recurrence, direction: int) -> SSAValue:
    """X · Wᵀ plus the biases that add outside the recurrence."""
    biases = rec.bias(direction)
    if biases is None:
        return rec.project(direction, None)
    wb, rb = biases
    node = rec.node
    if rec.gates == 3 and int(node.attr("linear_before_reset", 0)):
        # GRU's Rbh is multiplied by r: it stays in the recurrent term.
        size = 2 * rec.hidden
        rb = node.emit(graph.SliceOp(rb, [0], [size], [0]))
        pad = node.const(np.zeros(rec.hidden, value_dtype(rb)))
        rb = node.emit(graph.ConcatOp([rb, pad], 0))
    return rec.project(direction, node.emit(graph.AddOp(wb, rb)))


def _cell(node: Node, rec: Recurrence, direction: int, gates: list[Gate]) -> Cell:
    clip = node.attr("clip")
    return Cell(
        node,
        rec.hidden,
        rec.weight(2, direction),
        gates,
        None if clip is None else float(clip),
    )


@converter("RNN")
def _rnn(node: Node) -> list[Output]:
    rec = _recurrence(node, 1)
    acts = _activations(node, 1, ["Tanh"])
    cells = [_cell(node, rec, d, acts[d : d + 1]) for d in range(_directions(node))]

    def step(d: int, t: int, x: SSAValue, state: list[SSAValue]) -> list[SSAValue]:
        cell = cells[d]
        return [cell.act(0, cell.add(x, cell.recur(state[0], 0, 1)))]

    return _run(rec, step, 1)


@converter("GRU")
def _gru(node: Node) -> list[Output]:
    rec = _recurrence(node, 3)
    acts = _activations(node, 2, ["Sigmoid", "Tanh"])
    cells = [
        _cell(node, rec, d, acts[2 * d : 2 * d + 2]) for d in range(_directions(node))
    ]
    before_reset = bool(int(node.attr("linear_before_reset", 0)))
    rbh = [_gru_rbh(rec, d) for d in range(len(cells))]

    def step(d: int, t: int, x: SSAValue, state: list[SSAValue]) -> list[SSAValue]:
        cell, h = cells[d], state[0]
        zr = cell.add(cell.gate(x, 0, 2), cell.recur(h, 0, 2))
        z = cell.act(0, cell.gate(zr, 0))
        r = cell.act(0, cell.gate(zr, 1))
        if before_reset:
            recurrent = cell.recur(h, 2, 1)
            bias = rbh[d]
            if bias is not None:
                recurrent = cell.add(recurrent, bias)
            candidate = cell.add(cell.gate(x, 2), cell.mul(r, recurrent))
        else:
            candidate = cell.add(cell.gate(x, 2), cell.recur(cell.mul(r, h), 2, 1))
        hh = cell.act(1, candidate)
        # (1 - z) * hh + z * h = hh + z * (h - hh)
        return [cell.add(hh, cell.mul(z, node.emit(graph.SubOp(h, hh))))]

    return _run(rec, step, 1)


def _gru_rbh(rec: Recurrence, direction: int) -> SSAValue | None:
    biases = rec.bias(direction)
    if biases is None:
        return None
    h = rec.hidden
    return rec.node.emit(graph.SliceOp(biases[1], [2 * h], [3 * h], [0]))


def _peepholes(rec: Recurrence, direction: int) -> list[SSAValue] | None:
    """(Pi, Po, Pf) of a direction, each [hidden]."""
    if not rec.node.has(7):
        return None
    p = rec.weight(7, direction)
    h = rec.hidden
    return [
        rec.node.emit(graph.SliceOp(p, [k * h], [(k + 1) * h], [0])) for k in (0, 1, 2)
    ]


@converter("LSTM")
def _lstm(node: Node) -> list[Output]:
    rec = _recurrence(node, 4)
    acts = _activations(node, 3, ["Sigmoid", "Tanh", "Tanh"])
    cells = [
        _cell(node, rec, d, acts[3 * d : 3 * d + 3]) for d in range(_directions(node))
    ]
    peepholes = [_peepholes(rec, d) for d in range(len(cells))]
    coupled = bool(int(node.attr("input_forget", 0)))
    dtype: np.dtype[Any] = value_dtype(rec.x)

    def step(d: int, t: int, x: SSAValue, state: list[SSAValue]) -> list[SSAValue]:
        cell, (h, c), p = cells[d], state, peepholes[d]
        pre = cell.add(x, cell.recur(h, 0, 4))
        pre_i, pre_o, pre_f = (cell.gate(pre, k) for k in (0, 1, 2))
        if p is not None:
            pre_i = cell.add(pre_i, cell.mul(p[0], c))
            pre_f = cell.add(pre_f, cell.mul(p[2], c))
        i = cell.act(0, pre_i)
        if coupled:
            f = node.emit(graph.SubOp(node.scalar(1, dtype), i))
        else:
            f = cell.act(0, pre_f)
        candidate = cell.act(1, cell.gate(pre, 3))
        c_new = cell.add(cell.mul(f, c), cell.mul(i, candidate))
        if p is not None:
            pre_o = cell.add(pre_o, cell.mul(p[1], c_new))
        o = cell.act(0, pre_o)
        return [cell.mul(o, cell.activations[2](c_new)), c_new]

    return _run(rec, step, 2)
