"""
`linalg` ops that xDSL 0.74 lacks, and the `linalg` dialect extended with them.

xDSL 0.74's `linalg` has no `batch_matmul`; `BatchMatmulOp` defines it in xDSL's
style (modelled on `xdsl.dialects.linalg.MatmulOp`) and `LinalgExt` is xDSL's
`linalg` plus these ops, with `linalg.generic` parsed by `GenericOpParser`, which
also reads upstream's parenthesized result types `-> (t0, t1)` (xDSL 0.74 prints
them but cannot parse them back). mlc-opt registers `LinalgExt` as `linalg` in place of
xDSL's (a second `linalg` in mlc's universe would clash in xDSL's Multiverse, so
stock `xdsl-opt` keeps xDSL's).
"""

from collections.abc import Callable, Sequence
from typing import ClassVar, cast

from xdsl.builder import Builder
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    AffineMapAttr,
    AnyFloat,
    AnyTensorType,
    ArrayAttr,
    TensorType,
)
from xdsl.dialects.linalg import Linalg
from xdsl.dialects.linalg.abstract_ops import NamedOperation
from xdsl.dialects.linalg.attrs import IteratorTypeAttr
from xdsl.dialects.linalg.ops import GenericOp, YieldOp
from xdsl.ir import Attribute, BlockArgument, Dialect, Region, SSAValue
from xdsl.ir.affine import AffineMap
from xdsl.irdl import irdl_op_definition, prop_def
from xdsl.parser import Parser


@irdl_op_definition
class BatchMatmulOp(NamedOperation):
    """
    Batched matrix multiplication: (b,m,k) x (b,k,n) -> (b,m,n), accumulating.

    See external [documentation](https://mlir.llvm.org/docs/Dialects/Linalg/#linalgbatch_matmul-linalgbatchmatmulop).
    """

    name = "linalg.batch_matmul"

    PRINT_ATTRS_IN_FRONT: ClassVar[bool] = True

    indexing_maps = prop_def(
        ArrayAttr[AffineMapAttr],
        default_value=ArrayAttr(
            [
                AffineMapAttr(AffineMap.from_callable(lambda b, m, _, k: (b, m, k))),
                AffineMapAttr(AffineMap.from_callable(lambda b, _, n, k: (b, k, n))),
                AffineMapAttr(AffineMap.from_callable(lambda b, m, n, _: (b, m, n))),
            ]
        ),
    )

    def __init__(
        self,
        inputs: Sequence[SSAValue],
        outputs: Sequence[SSAValue] = (),
        res: Sequence[Attribute] | None = None,
        attributes: dict[str, Attribute] | None = None,
    ):
        if res is None:
            result_types = tuple(
                cast(AnyTensorType, output_type)
                for output in outputs
                if isinstance(output_type := output.type, TensorType)
            )
        else:
            result_types = res
        super().__init__(
            ins=inputs,
            outs=outputs,
            result_types=result_types,
            attributes=attributes,
            hidden_region=self.get_hidden_region(inputs, outputs),
        )

    @classmethod
    def get_hidden_region(
        cls, inputs: Sequence[SSAValue], outputs: Sequence[SSAValue]
    ) -> Region:
        """`out + lhs * rhs`, as upstream's hidden region."""
        arg_types = cls.body_arg_types((*inputs, *outputs))
        add, mul = (
            (arith.AddfOp, arith.MulfOp)
            if isinstance(arg_types[-1], AnyFloat)
            else (arith.AddiOp, arith.MuliOp)
        )

        @Builder.implicit_region(arg_types)
        def hidden_region(args: tuple[BlockArgument, ...]) -> None:
            YieldOp(add(mul(args[0], args[1]), args[2]))

        return hidden_region

    def get_default_indexing_maps(self) -> Sequence[AffineMap]:
        return tuple(m.data for m in self.indexing_maps.data)

    def get_indexing_maps(self) -> ArrayAttr[AffineMapAttr]:
        return self.indexing_maps

    def get_iterator_types(self) -> ArrayAttr[IteratorTypeAttr]:
        return ArrayAttr(
            [
                IteratorTypeAttr.parallel(),
                IteratorTypeAttr.parallel(),
                IteratorTypeAttr.parallel(),
                IteratorTypeAttr.reduction(),
            ]
        )


class _ParenthesizedResults:
    """
    A `Parser` that reads `-> (t0, t1)` where xDSL's generic reads `-> t0, t1`.

    Delegates everything else to the wrapped parser.
    """

    def __init__(self, parser: Parser) -> None:
        self._parser = parser
        self._types: list[Attribute] | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self._parser, name)

    def parse_optional_punctuation(self, punctuation: str) -> str | None:
        found = self._parser.parse_optional_punctuation(punctuation)  # pyright: ignore[reportArgumentType]
        if found == "->" and self._parser.parse_optional_punctuation("("):
            self._types = self._parser.parse_comma_separated_list(
                Parser.Delimiter.NONE, self._parser.parse_type
            )
            self._parser.parse_punctuation(")")
        return found

    def parse_comma_separated_list(
        self, delimiter: Parser.Delimiter, parse: Callable[[], Attribute]
    ) -> list[Attribute]:
        if self._types is not None:
            types, self._types = self._types, None
            return types
        return self._parser.parse_comma_separated_list(delimiter, parse)


# xdsl-gap(0.74): linalg-generic-results-parse — `-> (t0, t1)` fails
class GenericOpParser(GenericOp):
    """
    Parses `linalg.generic` into xDSL's `GenericOp`, with upstream's `-> (t0, t1)`.

    xDSL 0.74's generic prints several results in parentheses but cannot parse
    them back. Registered under `linalg.generic` only as a parsing hook: every
    op it makes (custom or generic format) is a plain `GenericOp`, so the
    interpreters, which dispatch on the exact op class, still find it.
    """

    def __new__(cls, *args: object, **kwargs: object) -> GenericOp:  # pyright: ignore[reportInconsistentConstructor]
        return object.__new__(GenericOp)

    @classmethod
    def parse(cls, parser: Parser) -> GenericOp:  # pyright: ignore[reportIncompatibleMethodOverride]
        return GenericOp.parse(cast(Parser, _ParenthesizedResults(parser)))


# xdsl-gap(0.74): linalg-batch-matmul — no batch_matmul
# xDSL 0.74's `linalg` lacks batch_matmul and cannot parse multi-result generics:
# extend it rather than patch xDSL.
LinalgExt = Dialect(
    "linalg",
    [
        *(op for op in Linalg.operations if op is not GenericOp),
        GenericOpParser,
        BatchMatmulOp,
    ],
    [*Linalg.attributes],
)
