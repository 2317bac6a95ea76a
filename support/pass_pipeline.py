"""
Pass pipelines as written on the command line, and as built from a registry.

Two spellings describe the same tree:

* xDSL's `-p`: a flat list, `canonicalize,cse{opt=val}`, run on the module;
* MLIR's `--pass-pipeline`: `builtin.module(canonicalize,func.func(cse))`, an
  op anchor with the passes (and nested anchors) run on it. Each nested
  anchor runs its passes on every op of that name directly nested in the
  op it is within; `any(...)` on every such op that is isolated from above.

Parsing gives a `NestSpec` tree of `PassSpec`s (`ArgSpec`s, whose option text
`{...}` xDSL's own `parse_spec` reads), which `build_pipeline` resolves
against the registered passes into a `Nest` of `ModulePass` instances (the
pipeline is the nest anchored on the root `builtin.module`).
Every user error is a `PipelineError`, whose message is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xdsl.passes import ModulePass
from xdsl.utils.arg_spec import ArgSpec, parse_pipeline, parse_spec
from xdsl.utils.exceptions import ArgSpecParseError

from mlc.support.diagnostics import did_you_mean, one_line
from mlc.support.registry import PassRegistry

ROOT_ANCHOR = "builtin.module"
ANY_ANCHOR = "any"


class PipelineError(ValueError):
    """A pass pipeline that cannot be parsed or built; the message is one line."""


@dataclass(frozen=True)
class PassSpec:
    """One pass with its options, as written."""

    spec: ArgSpec


@dataclass(frozen=True)
class NestSpec:
    """`anchor(elements...)`: passes to run on each op named `anchor`."""

    anchor: str
    elements: tuple[PassSpec | NestSpec, ...]


@dataclass(frozen=True)
class Nest:
    """A built `NestSpec`: pass instances and nested anchors, in order."""

    anchor: str
    steps: tuple[ModulePass | Nest, ...]

    def __str__(self) -> str:
        """MLIR's textual pipeline, with every option (as `--dump-pass-pipeline`)."""
        inner = ", ".join(
            str(step) if isinstance(step, Nest) else pass_text(step)
            for step in self.steps
        )
        return f"{self.anchor}({inner})"


def pass_text(pass_: ModulePass) -> str:
    """`name{opt-a=1 opt-b=true}`, every option included, as it could be written."""
    spec = pass_.spec(include_default=True)
    options = {key.replace("_", "-"): value for key, value in spec.parameters.items()}
    return str(ArgSpec(spec.name, options))


# --------------------------------------------------------------------------- #
# Parsing
# --------------------------------------------------------------------------- #

_MLIR_SYNTAX = re.compile(r"\s*[\w.$-]+\s*\(")


def is_mlir_pipeline(text: str) -> bool:
    """Whether `text` is MLIR syntax (`anchor(...)`) rather than xDSL's list."""
    return _MLIR_SYNTAX.match(text) is not None


def parse_xdsl_pipeline(text: str) -> NestSpec:
    """xDSL's `-p` list (`a,b{x=1}`), as passes on the root module."""
    try:
        specs = tuple(PassSpec(spec) for spec in parse_pipeline(text))
    except ArgSpecParseError as error:
        raise PipelineError(_arg_spec_message(text, error)) from None
    return NestSpec(ROOT_ANCHOR, specs)


def parse_pass_flag(name: str, options: str | None) -> PassSpec:
    """A pass given as its own flag: `--name` or `--name='opt=val opt2'`."""
    text = name if options is None else f"{name}{{{options}}}"
    try:
        return PassSpec(parse_spec(text))
    except ArgSpecParseError as error:
        raise PipelineError(_arg_spec_message(text, error)) from None


def _arg_spec_message(text: str, error: ArgSpecParseError) -> str:
    """xDSL's multi-line `ArgSpecParseError` as one line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = lines[-1] if lines else "malformed"
    return f"invalid pass pipeline '{text}': {reason}"


def parse_mlir_pipeline(text: str) -> NestSpec:
    """MLIR's `--pass-pipeline` text, which must be `anchor(...)` as a whole."""
    return _MlirPipelineParser(text).parse()


class _MlirPipelineParser:
    """
    Recursive descent over MLIR's textual pipeline grammar.

    ```
    pipeline ::= anchor `(` elements? `)`
    elements ::= element (`,` element)*
    element  ::= anchor `(` elements? `)` | pass-name (`{` options `}`)?
    ```
    """

    _NAME = re.compile(r"[\w.$-]+")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def parse(self) -> NestSpec:
        self._skip_space()
        name = self._name()
        if name is None or not self._at("("):
            raise self._error(
                "expected pass pipeline to be wrapped with the anchor operation "
                "type, e.g. 'builtin.module(...)'",
                0,
            )
        nest = self._nest(name)
        self._skip_space()
        if self.pos != len(self.text):
            raise self._error("unexpected text after the pipeline")
        return nest

    def _nest(self, anchor: str) -> NestSpec:
        self._expect("(")
        elements: list[PassSpec | NestSpec] = []
        if not self._at(")"):
            elements.append(self._element())
            while self._at(","):
                self._expect(",")
                elements.append(self._element())
        self._expect(")")
        return NestSpec(anchor, tuple(elements))

    def _element(self) -> PassSpec | NestSpec:
        start = self.pos
        name = self._name()
        if name is None:
            raise self._error("expected a pass or an operation name")
        if self._at("("):
            return self._nest(name)
        end = self._skip_options() if self._at("{") else self.pos
        spec_text = self.text[start:end].strip()
        try:
            return PassSpec(parse_spec(spec_text))
        except ArgSpecParseError as error:
            raise PipelineError(_arg_spec_message(spec_text, error)) from None

    def _skip_options(self) -> int:
        """Skip a balanced `{...}` (quotes respected); the position after it."""
        depth, quoted = 0, False
        for pos in range(self.pos, len(self.text)):
            char = self.text[pos]
            if char == '"' and self.text[pos - 1] != "\\":
                quoted = not quoted
            elif not quoted and char in "{}":
                depth += 1 if char == "{" else -1
                if depth == 0:
                    self.pos = pos + 1
                    return self.pos
        raise self._error("unbalanced '{' in pass options")

    def _name(self) -> str | None:
        self._skip_space()
        match = self._NAME.match(self.text, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        return match.group()

    def _at(self, char: str) -> bool:
        self._skip_space()
        return self.text.startswith(char, self.pos)

    def _expect(self, char: str) -> None:
        if not self._at(char):
            raise self._error(f"expected '{char}'")
        self.pos += 1

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _error(self, message: str, pos: int | None = None) -> PipelineError:
        column = (self.pos if pos is None else pos) + 1
        return PipelineError(
            f"invalid pass pipeline '{self.text}': {message} (at column {column})"
        )


# --------------------------------------------------------------------------- #
# Building
# --------------------------------------------------------------------------- #


def build_pipeline(spec: NestSpec, passes: PassRegistry) -> Nest:
    """Resolve every pass of `spec` in `passes`, with its options."""
    steps: list[ModulePass | Nest] = []
    for element in spec.elements:
        if isinstance(element, NestSpec):
            steps.append(build_pipeline(element, passes))
        else:
            steps.append(build_pass(element.spec, passes))
    return Nest(spec.anchor, tuple(steps))


def build_pass(spec: ArgSpec, passes: PassRegistry) -> ModulePass:
    """The registered pass `spec.name`, configured with `spec`'s options."""
    factory = passes.get(spec.name)
    if factory is None:
        raise PipelineError(
            f"unknown pass '{spec.name}'{did_you_mean(spec.name, passes)}"
        )
    try:
        return factory().from_spec(spec)
    except (ValueError, TypeError) as error:
        raise PipelineError(
            f"invalid options for pass '{spec.name}': {one_line(str(error))}"
        ) from None
