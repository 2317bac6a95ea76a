"""
`--verify-diagnostics`: match diagnostics against `expected-*` annotations.

The annotation syntax and the matching rules are MLIR's
(`SourceMgrDiagnosticVerifierHandler`):

```mlir
// expected-error @+1 {{cannot broadcast shapes}}
%0 = graph.add %a, %b : ...
%1 = graph.relu %0 : ...  // expected-error {{on this very line}}
// expected-warning @below {{the next line that is no annotation}}
// expected-note @above {{the previous line that is no annotation}}
// expected-remark @unknown {{a diagnostic that has no location}}
// expected-error-re @-2 {{literal text, then a {{[0-9]+}} regex}}
```

An annotation expects a diagnostic of its severity on its line (`@+N`/`@-N`
count from the annotation's own line) whose message contains its `{{...}}`
text, or, for `-re`, matches it with the `{{...}}` groups inside read as
regular expressions. One annotation may match several diagnostics. A
diagnostic that matches no annotation is reported as `unexpected error: ...`
at its own location; one that matches only in severity is a near miss; an
annotation that nothing matched is `expected error "..." was not produced`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mlc.support.diagnostics import Diagnostic, DiagnosticError, Severity, SourceLoc

_ANNOTATION = re.compile(
    r"expected-(?P<severity>error|note|remark|warning)(?P<re>-re)?"
    r" *(?:@(?P<where>[+-][0-9]+|above|below|unknown))? *\{\{(?P<text>.*)\}\}\s*$"
)


@dataclass
class Expectation:
    """One `expected-<severity> ... {{text}}` annotation."""

    severity: Severity
    line: int | None
    """The line the diagnostic must be on (None: none, as for `@unknown`)."""
    text: str
    annotation: SourceLoc
    """Where the annotation itself is written."""
    pattern: re.Pattern[str] | None = None
    """The compiled `-re` pattern; None for a substring match."""
    unknown_location: bool = False
    """`@unknown`: expects a diagnostic that has no location."""
    matched: bool = False

    def accepts(self, message: str) -> bool:
        """Whether `message` has the expected text."""
        if self.pattern is not None:
            return self.pattern.search(message) is not None
        return self.text in message


def regex_of(text: str) -> re.Pattern[str]:
    """MLIR's `-re` text: literal, except the `{{...}}` groups, which are regexes."""
    parts = re.split(r"\{\{(.*?)\}\}", text)
    return re.compile(
        "".join(part if i % 2 else re.escape(part) for i, part in enumerate(parts))
    )


def parse_expectations(text: str, file: str, line_offset: int = 0) -> list[Expectation]:
    """
    The annotations in `text`, whose first line is `line_offset + 1` of `file`.

    Raises `DiagnosticError` for a malformed `-re` pattern.
    """
    expectations: list[Expectation] = []
    waiting_for_next_line: list[Expectation] = []
    last_plain_line: int | None = None
    for number, line in enumerate(text.splitlines(), start=line_offset + 1):
        match = _ANNOTATION.search(line)
        if match is None:
            for expectation in waiting_for_next_line:
                expectation.line = number
            waiting_for_next_line.clear()
            last_plain_line = number
            continue
        expectation = _expectation(match, file, number, last_plain_line)
        if match["where"] == "below":
            waiting_for_next_line.append(expectation)
        expectations.append(expectation)
    return expectations


def _expectation(
    match: re.Match[str], file: str, number: int, last_plain_line: int | None
) -> Expectation:
    where = match["where"]
    line: int | None = number
    if where in ("unknown", "below"):
        line = None  # `below` is resolved when the next plain line comes
    elif where == "above":
        line = last_plain_line
    elif where is not None:
        line = number + int(where)
    text = match["text"]
    annotation = SourceLoc(file, number, match.start() + 1)
    try:
        pattern = regex_of(text) if match["re"] else None
    except re.error as error:
        message = f"invalid regular expression in annotation: {error}"
        raise DiagnosticError([Diagnostic(message, annotation)]) from error
    return Expectation(
        severity=Severity(match["severity"]),
        line=line if line is None or line > 0 else None,
        text=text,
        annotation=annotation,
        pattern=pattern,
        unknown_location=where == "unknown",
    )


class DiagnosticVerifier:
    """Checks diagnostics against the expectations of one input file."""

    def __init__(self, file: str, expectations: Iterable[Expectation] = ()) -> None:
        self.file = file
        self.expectations: list[Expectation] = list(expectations)

    def add(self, expectations: Iterable[Expectation]) -> None:
        """Expect these too (the annotations of another chunk)."""
        self.expectations.extend(expectations)

    def check(self, diagnostic: Diagnostic) -> Diagnostic | None:
        """None when an expectation matches `diagnostic`, else the error to report."""
        near_miss: Expectation | None = None
        for expectation in self._candidates(diagnostic):
            if not expectation.accepts(diagnostic.message):
                continue
            if expectation.severity is diagnostic.severity:
                expectation.matched = True
                return None
            near_miss = expectation
        if near_miss is not None:
            return Diagnostic(
                f"'{diagnostic.severity}' diagnostic emitted when expecting a "
                f"'{near_miss.severity}'",
                near_miss.annotation,
            )
        return Diagnostic(
            f"unexpected {diagnostic.severity}: {diagnostic.message}", diagnostic.loc
        )

    def _candidates(self, diagnostic: Diagnostic) -> Iterator[Expectation]:
        """The expectations on the diagnostic's line (`@unknown` ones if none)."""
        loc = diagnostic.loc
        for expectation in self.expectations:
            if loc is None:
                if expectation.unknown_location:
                    yield expectation
            elif loc.file == self.file and expectation.line == loc.line:
                yield expectation

    def missing(self) -> list[Diagnostic]:
        """An error for each expectation that no diagnostic matched."""
        return [
            Diagnostic(
                f'expected {e.severity} "{e.text}" was not produced', e.annotation
            )
            for e in self.expectations
            if not e.matched
        ]
