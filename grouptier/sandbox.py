"""The sandbox managers' overrides render in: an allow-list, and one budget for a whole run.

Overrides come from the `Templates` tab, which many people edit. They render in
Jinja's immutable sandbox (no Python internals, no changes to the values a
message is given), narrowed to what a message needs:

- the filters in `ALLOWED_FILTERS`, the tests in `ALLOWED_TESTS`, the globals
  `range` (at most `MAX_RANGE` numbers), `dict` and `namespace`, the macros a
  template defines and `caller()`, and the methods in `ALLOWED_METHODS`. An
  unknown filter is refused when the override is read; any other call when it
  is made. So `center`, `format`, `tojson`, `indent`, `lipsum`, `zfill` and the
  like simply do not exist for an override.
- what is left that can build text or lists checks what it WOULD build
  before building it (`'x' * n`, `%`-formatting, `replace`, `join`, `split`,
  slicing, turning a list into text), against the run's `RunBudget`.
- every piece of output is counted as it is produced, so text captured by
  `{% set %}…{% endset %}`, `{% filter %}` or `caller()` counts too; every loop
  step, call, lookup, operator, filter and piece of output checks the clock.

The budget is shared by every override rendered in one run (one `Renderer`
per run), so a slow good morning for every group and day stops at the run's
limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2 import filters, nodes, tests
from jinja2.compiler import CodeGenerator, Frame, operators
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from grouptier.render_budget import (
    ITEM_BYTES,
    RenderStoppedError,
    RunBudget,
    repr_bytes,
    text_bytes,
)

MAX_RANGE = 10_000  # numbers one `range()` may give
MAX_FORMAT_WIDTH = 1_000  # widest `%`-format width or precision
_MAX_BITS = 4_096  # the largest number an override may compute, in bits
_TEXT_GROWTH = 3  # a case change can turn one character into three ('ß' -> 'SS')

ALLOWED_FILTERS = (
    *("upper", "lower", "title", "capitalize", "trim", "truncate", "wordcount", "string"),
    *("replace", "join", "length", "count", "first", "last", "default", "d", "reverse"),
    *("round", "int", "float", "abs", "list", "sort", "unique", "min", "max", "sum"),
    *("map", "select", "reject", "selectattr", "rejectattr", "batch", "slice", "items"),
)
ALLOWED_TESTS = (
    *("defined", "undefined", "none", "boolean", "false", "true", "integer", "float"),
    *("number", "string", "mapping", "sequence", "iterable", "even", "odd", "divisibleby"),
    *("eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<="),
    *("gt", "greaterthan", ">", "ge", ">=", "in", "sameas"),
)
_CASE_METHODS = ("upper", "lower", "title", "capitalize", "swapcase", "casefold")
_STR_QUESTIONS = ("isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "istitle")
ALLOWED_METHODS: Mapping[type, frozenset[str]] = {
    str: frozenset(
        (*_CASE_METHODS, *_STR_QUESTIONS, "strip", "lstrip", "rstrip", "startswith", "endswith")
    )
    | frozenset(("count", "find", "rfind", "split", "rsplit", "replace")),
    list: frozenset(("index", "count")),
    tuple: frozenset(("index", "count")),
    dict: frozenset(("get", "keys", "values", "items")),
    LoopContext: frozenset(("cycle", "changed")),
}
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.DOTALL)
_WORD = re.compile(r"\w+")


# -- compiling overrides: every output piece, `~`, comparison and slice goes through the sandbox --


class _GuardedCode(CodeGenerator):
    """Compiles an override so that the sandbox sees what Jinja would otherwise do natively."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:  # noqa: N802 (Jinja's name)
        guarded = nodes.Call(
            nodes.EnvironmentAttribute("guarded_iter"), [node.iter], [], None, None
        )
        loop = nodes.For(
            node.target,
            guarded,
            node.body,
            node.else_,
            node.test,
            node.recursive,
            lineno=node.lineno,
        )
        super().visit_For(loop, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802
        self.write("environment.guarded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Compare(self, node: nodes.Compare, frame: Frame) -> None:  # noqa: N802
        self.write("(environment.comparable(")
        self.visit(node.expr, frame)
        self.write(")")
        for operand in node.ops:
            self.visit(operand, frame)
        self.write(")")

    def visit_Operand(self, node: nodes.Operand, frame: Frame) -> None:  # noqa: N802
        self.write(f" {operators[node.op]} environment.comparable(")
        self.visit(node.expr, frame)
        self.write(")")

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:  # noqa: N802
        if not isinstance(node.arg, nodes.Slice):
            super().visit_Getitem(node, frame)
            return
        self.write("environment.sliced(")  # Jinja slices natively, copying without a check
        self.visit(node.node, frame)
        for part in (node.arg.start, node.arg.stop, node.arg.step):
            self.write(", ")
            if part is None:
                self.write("None")
            else:
                self.visit(part, frame)
        self.write(")")

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.emit({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.emit(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")


class GuardedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox narrowed to an allow-list, with one budget per run."""

    code_generator_class = _GuardedCode
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, budget: RunBudget) -> None:
        super().__init__(
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=self.text,
        )
        self.budget = budget
        self.filters = _allowed_filters(self)
        self.tests = {name: self._guarded_test(tests.TESTS[name]) for name in ALLOWED_TESTS}
        self._allowed_globals = (self._range, dict, Namespace)  # one bound method, kept
        self.globals = dict(zip(("range", "dict", "namespace"), self._allowed_globals, strict=True))

    # -- what compiled overrides call --------------------------------------------------------

    def emit(self, text: str) -> str:
        """A piece of output (kept, or captured by a block), counted as it is produced."""
        self.budget.tick()
        return str(self.budget.charge(text))

    def text(self, value: Any) -> str:
        """`str(value)`, refused before it is built when it would be too big."""
        if isinstance(value, str):
            return value
        self.budget.afford(repr_bytes(value, self.budget.left, self.budget.tick))
        return str(self.budget.charge(str(value)))

    def guarded_concat(self, values: tuple[Any, ...]) -> str:
        """The result of `a ~ b`, refused before it is built when it would be too big."""
        self.budget.tick()
        pieces = [self.text(value) for value in values]
        self.budget.afford(sum(map(text_bytes, pieces)))
        return str(self.budget.charge("".join(pieces)))

    def comparable(self, value: Any) -> Any:
        """`value`, once comparing it is known to take a bounded time."""
        if not isinstance(value, (str, int, float, type(None))):
            self.budget.afford(repr_bytes(value, self.budget.left, self.budget.tick))
        return value

    def sliced(self, value: Any, start: Any, stop: Any, step: Any) -> Any:
        """`value[start:stop:step]`, refused before copying too much."""
        self.budget.tick()
        part = slice(start, stop, step)
        if isinstance(value, (str, list, tuple)):
            count = len(range(*part.indices(len(value))))
            each = ITEM_BYTES if not isinstance(value, str) else 1 if value.isascii() else 4
            self.budget.afford(count * each)
        return self.budget.charge(value[part])

    def guarded_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Each item of a loop (or of a lazy filter), counted and with the clock checked."""
        for item in iterable:
            self.budget.tick()
            self.budget.spend(ITEM_BYTES)
            yield item

    def items(self, value: Any) -> list[Any]:
        """`value` as a list, refused before a big one is built."""
        if isinstance(value, list):
            return value
        if isinstance(value, (str, tuple, dict, range)):
            self.budget.afford(len(value) * ITEM_BYTES)
            return list(value)
        return list(self.guarded_iter(value))

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise RenderStoppedError(
                f"range() of {len(numbers):,} numbers is refused; at most {MAX_RANGE:,}"
            )
        return numbers

    # -- the sandbox's hooks ---------------------------------------------------------------------

    def call(  # the sandbox's own signature: `__` names leave every keyword free for `__obj`
        __self,  # noqa: N805
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Call `__obj` when the allow-list has it, after checking what it would build."""
        __self.budget.tick()
        __self._check_call(__obj, args, kwargs)
        return __self.budget.charge(__context.call(__obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """The sandbox's lookup, with the clock checked."""
        self.budget.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """The sandbox's lookup, with the clock checked."""
        self.budget.tick()
        return super().getitem(obj, argument)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """`+`, `*`, `**` and `%`, refused before building something too big."""
        self.budget.tick()
        self._check_operation(operator, left, right)
        return self.budget.charge(super().call_binop(context, operator, left, right))

    # -- checks before building -------------------------------------------------------------------

    def _check_call(self, function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if isinstance(function, (Macro, LoopContext, jinja2.Undefined)):
            return  # an undefined name raises its own clear error when called
        if any(function is allowed for allowed in self._allowed_globals):
            return
        if getattr(function, "__func__", None) is GuardedSandbox.guarded_iter:  # every for loop
            return
        owner = getattr(function, "__self__", None)
        name = getattr(function, "__name__", "")
        allowed = next((m for kind, m in ALLOWED_METHODS.items() if type(owner) is kind), None)
        if allowed is None or name not in allowed:
            shown = f".{name}()" if owner is not None else f"{name or 'this'}()"
            raise RenderStoppedError(f"{shown} cannot be used in a message template")
        if isinstance(owner, str):
            self.budget.afford(_str_method_bytes(owner, name, args, kwargs))
        for value in (*args, *kwargs.values()):
            self.comparable(value)

    def _check_operation(self, operator: str, left: Any, right: Any) -> None:
        if operator == "+" and type(left) is type(right) and isinstance(left, (str, list, tuple)):
            self.budget.afford(_size(left) + _size(right))
        elif operator == "*":
            for count, other in ((left, right), (right, left)):
                if isinstance(count, int) and isinstance(other, (str, list, tuple)):
                    self.budget.afford(max(count, 0) * _size(other))
            if _numbers(left, right) and _bits(left) + _bits(right) > _MAX_BITS:
                raise RenderStoppedError("a number that large is refused")
        elif operator == "**" and _numbers(left, right) and abs(left) > 1 and right > 0:
            if right * math.log2(abs(left)) > _MAX_BITS:
                raise RenderStoppedError(f"raising to the power {right} is refused")
        elif operator == "%" and isinstance(left, str):
            self.budget.afford(self._format_bytes(left, right))

    def _format_bytes(self, form: str, args: Any) -> int:
        """An upper bound of `form % args`; a width from the arguments (`*`) or over 1,000 is
        refused."""
        specs = _FORMAT_SPEC.findall(form)
        for width, precision, _ in specs:
            if "*" in (width, precision) or max(int(width or 0), int(precision or 0)) > (
                MAX_FORMAT_WIDTH
            ):
                raise RenderStoppedError(
                    f"a %-format width over {MAX_FORMAT_WIDTH:,} is refused; use a shorter width"
                )
        values: Iterable[Any] = (args,)
        if isinstance(args, Mapping):
            values = args.values()
        elif isinstance(args, tuple):
            values = args
        biggest = max(
            (repr_bytes(value, self.budget.left, self.budget.tick) for value in values),
            default=0,
        )
        return text_bytes(form) + len(specs) * (4 * MAX_FORMAT_WIDTH + biggest)

    def _guarded_test(self, test: Any) -> Callable[..., bool]:
        def guarded(*args: Any, **kwargs: Any) -> bool:
            self.budget.tick()
            for value in (*args, *kwargs.values()):
                self.comparable(value)
            return bool(test(*args, **kwargs))

        return guarded


# -- the allowed filters, each checking what it would build before building it ---------------------

_Gate = Callable[[GuardedSandbox, Any, tuple[Any, ...], dict[str, Any]], Any]


def _allowed_filters(sandbox: GuardedSandbox) -> dict[str, Callable[..., Any]]:
    gates: dict[str, _Gate] = {
        **dict.fromkeys(("upper", "lower", "title", "capitalize"), _growing_text),
        **dict.fromkeys(("trim", "truncate", "string", "wordcount"), _as_text),
        **dict.fromkeys(("list", "sort", "unique", "min", "max", "batch", "slice"), _as_items),
        "replace": _replaced,
        "join": _joined,
        "sum": _summed,
        "round": _rounded,
    }
    allowed = {name: filters.FILTERS[name] for name in ALLOWED_FILTERS}
    allowed["wordcount"] = _wordcount
    allowed["string"] = sandbox.text
    return {
        name: _guarded_filter(sandbox, function, gates.get(name, _unchanged))
        for name, function in allowed.items()
    }


def _guarded_filter(sandbox: GuardedSandbox, function: Callable[..., Any], gate: _Gate) -> Any:
    """`function` behind `gate`, its result counted; keeps Jinja's `pass_context` and kin."""
    passes = getattr(function, "jinja_pass_arg", None)

    def guarded(*args: Any, **kwargs: Any) -> Any:
        sandbox.budget.tick()
        skip = 1 if passes is not None else 0
        value = gate(sandbox, args[skip], args[skip + 1 :], kwargs)
        result = function(*args[:skip], value, *args[skip + 1 :], **kwargs)
        if isinstance(result, Iterator):
            return sandbox.guarded_iter(result)
        return sandbox.budget.charge(result)

    if passes is not None:
        guarded.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return guarded


def _unchanged(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> Any:
    return value


def _as_text(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> str:
    return sandbox.text(value)


def _growing_text(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> str:
    text = sandbox.text(value)
    sandbox.budget.afford(_TEXT_GROWTH * text_bytes(text))
    return text


def _as_items(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> list[Any]:
    """The items, compared in bounded time; batch/slice sizes bounded by what exists."""
    items = sandbox.items(value)
    sandbox.comparable(items)
    numbers = [arg for arg in args[:1] if isinstance(arg, int)]
    sandbox.budget.afford((len(items) + max(numbers or [0])) * ITEM_BYTES)
    return items


def _replaced(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> str:
    text = sandbox.text(value)
    old, new = (sandbox.text(arg) for arg in (*args, "", "")[:2])
    count = args[2] if len(args) > 2 else kw.get("count")
    sandbox.budget.afford(_replace_bytes(text, old, new, count))
    return text


def _joined(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> list[Any]:
    items = sandbox.items(value)
    attribute = args[1] if len(args) > 1 else kw.get("attribute")
    pieces = items
    if attribute is not None:
        getter = filters.make_attrgetter(sandbox, attribute)
        pieces = [getter(item) for item in items]
    separator = sandbox.text(args[0] if args else kw.get("d", ""))
    total = text_bytes(separator) * len(pieces)
    for piece in pieces:
        total += repr_bytes(piece, sandbox.budget.left - total, sandbox.budget.tick)
        sandbox.budget.afford(total)
    return items


def _summed(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> list[Any]:
    start = args[1] if len(args) > 1 else kw.get("start", 0)
    if not _numbers(start, 0):
        raise RenderStoppedError("sum() can only start from a number")
    return _as_items(sandbox, value, (), {})


def _rounded(sandbox: GuardedSandbox, value: Any, args: tuple[Any, ...], kw: Any) -> Any:
    precision = args[0] if args else kw.get("precision", 0)
    if not isinstance(precision, int) or abs(precision) > 100:
        raise RenderStoppedError("round() takes a precision from -100 to 100")
    return value


def _wordcount(text: str) -> int:
    """Jinja's `wordcount` without building the list of words first."""
    return sum(1 for _ in _WORD.finditer(text))


def _str_method_bytes(text: str, name: str, args: tuple[Any, ...], kw: dict[str, Any]) -> int:
    """An upper bound of what `text.<name>(*args)` builds."""
    if name in _CASE_METHODS:
        return _TEXT_GROWTH * text_bytes(text)
    if name in ("split", "rsplit"):
        separator = args[0] if args else kw.get("sep")
        parts = text.count(separator) + 1 if isinstance(separator, str) and separator else None
        return text_bytes(text) + (parts or len(text) // 2 + 1) * ITEM_BYTES
    if name == "replace" and all(isinstance(arg, str) for arg in args[:2]) and len(args) > 1:
        return _replace_bytes(text, args[0], args[1], *args[2:3])
    return text_bytes(text)


def _replace_bytes(text: str, old: str, new: str, count: Any = None) -> int:
    """An upper bound of `text.replace(old, new, count)`, found without building it."""
    matches = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        matches = min(matches, count)
    width = 1 if text.isascii() and new.isascii() else 4
    return (len(text) + matches * len(new)) * width


def _size(value: str | list[Any] | tuple[Any, ...]) -> int:
    return text_bytes(value) if isinstance(value, str) else len(value) * ITEM_BYTES


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _bits(number: float) -> int:
    return int(abs(number)).bit_length() if abs(number) != float("inf") else _MAX_BITS
