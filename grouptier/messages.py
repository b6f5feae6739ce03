"""Message templates: the bundled files in `templates/<language>/` and the managers' overrides.

`Renderer.render(name, group, context)` gives the text of one message. The
bundled templates are trusted files and render in a plain Jinja environment
(`StrictUndefined`, no HTML escaping, tidy whitespace); a mistake in one is a
`TemplateError` naming the file and line. Overrides come from the `Templates`
tab, which many people edit, so they render in Jinja's sandbox with a time
limit and an output limit that actually stop a runaway template: every loop,
call, attribute lookup, operator and filter checks the deadline and what has
been produced so far. A problem in an override is an `InvalidSheetError`
naming its cell (`Templates!C5`).

One loader serves an installed wheel (`grouptier/templates/`) and a source
checkout (`templates/` at the repository root).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment

from grouptier.cells import did_you_mean, normalise
from grouptier.errors import InvalidSheetError, Problem, TemplateError

TEMPLATE_NAMES = (
    "welcome",
    "good_morning",
    "weekly_topic",
    "promotion",
    "retention_notice",
    "return",
    "reward",
    "staff_digest",
)
DEFAULT_LANGUAGE = "en"
WHATSAPP_MESSAGE_LIMIT = 65_536  # characters WhatsApp accepts in one message
OVERRIDE_TIME_LIMIT = 1.0  # seconds one override may take to render one message
OVERRIDE_OUTPUT_LIMIT = 100_000  # characters one override may produce
_WORK_FACTOR = 20  # an override may build at most this many times its output limit in strings
_BIG_WIDTH = re.compile(r"%[-+ #0]*(\d{5,}|\*)|\.\d{5,}")


def templates_root() -> Path:
    """The folder holding one subfolder of `.j2` files per language."""
    packaged = Path(str(resources.files("grouptier"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def languages(root: Path | None = None) -> list[str]:
    """The languages that have a template folder."""
    root = root or templates_root()
    return sorted(path.name for path in root.iterdir() if path.is_dir()) if root.is_dir() else []


@dataclass(frozen=True)
class Override:
    """A manager's wording for template `name`, for `group` ('' for every group)."""

    name: str
    group: str
    text: str
    cell: str  # A1 reference of the text, e.g. "C5"
    tab: str = "Templates"

    @property
    def where(self) -> str:
        """`Templates!C5`."""
        return f"{self.tab}!{self.cell}"


class Renderer:
    """Renders messages in one language, with the managers' overrides taking precedence."""

    def __init__(
        self,
        language: str = DEFAULT_LANGUAGE,
        overrides: Iterable[Override] = (),
        root: Path | None = None,
        time_limit: float = OVERRIDE_TIME_LIMIT,
        output_limit: int = OVERRIDE_OUTPUT_LIMIT,
    ) -> None:
        self.root = root or templates_root()
        self.language = language
        self.env = _bundled_environment(self.root, language)
        self.sandbox = GuardedSandbox(time_limit, output_limit)
        self._bundled: dict[str, jinja2.Template] = {}
        self._overrides = _compile_overrides(self.sandbox, overrides)

    def render(self, name: str, group: str, context: Mapping[str, Any]) -> str:
        """The text of message `name` for `group`, tidied for pasting into WhatsApp."""
        override = self._overrides.get((name, group.casefold())) or self._overrides.get((name, ""))
        if override is not None:
            return tidy(self.sandbox.render(override[0], override[1], context))
        template = self._template(name)
        try:
            return tidy(template.render(context))
        except Exception as error:
            where = self._relative(template.filename)
            line = template_line(error, template.filename or "")
            raise TemplateError(where, line, _reason(error)) from error

    def _template(self, name: str) -> jinja2.Template:
        if name not in self._bundled:
            try:
                self._bundled[name] = self.env.get_template(f"{name}.j2")
            except jinja2.TemplateSyntaxError as error:
                where = self._relative(error.filename) if error.filename else f"{name}.j2"
                raise TemplateError(where, error.lineno, error.message or "") from error
            except jinja2.TemplateNotFound as error:
                where = f"templates/{self.language}/{name}.j2"
                raise TemplateError(where, None, "the file is missing") from error
        return self._bundled[name]

    def _relative(self, filename: str | None) -> str:
        path = Path(filename or "")
        try:
            return f"templates/{path.relative_to(self.root).as_posix()}"
        except ValueError:
            return str(path)


def _bundled_environment(root: Path, language: str) -> jinja2.Environment:
    """Files of `language`, falling back to English for a template not yet translated."""
    if not (root / language).is_dir():
        known = languages(root)
        message = (
            f'language "{language}": there is no template folder templates/{language} '
            f"(available: {', '.join(known) or 'none'}){did_you_mean(language, known)}"
        )
        raise InvalidSheetError([Problem("Settings", "", message)])
    folders = [str(root / language)]
    if language != DEFAULT_LANGUAGE and (root / DEFAULT_LANGUAGE).is_dir():
        folders.append(str(root / DEFAULT_LANGUAGE))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _compile_overrides(
    sandbox: GuardedSandbox, overrides: Iterable[Override]
) -> dict[tuple[str, str], tuple[jinja2.Template, Override]]:
    compiled: dict[tuple[str, str], tuple[jinja2.Template, Override]] = {}
    seen: dict[tuple[str, str], Override] = {}
    problems: list[Problem] = []
    by_key = {normalise(name): name for name in TEMPLATE_NAMES}
    for override in overrides:
        name = by_key.get(normalise(override.name))
        name_cell = re.sub(r"^[A-Z]+", "A", override.cell)
        if name is None:
            hint = did_you_mean(override.name, TEMPLATE_NAMES)
            message = f'"{override.name}" is not a message template{hint}'
            problems.append(Problem(override.tab, name_cell, message))
            continue
        key = (name, override.group.casefold())
        if key in seen:
            message = f'"{name}" for {override.group or "every group"} is set twice'
            problems.append(Problem(override.tab, override.cell, f"{message} ({seen[key].where})"))
            continue
        seen[key] = override
        try:
            compiled[key] = (sandbox.from_string(override.text), override)
        except jinja2.TemplateSyntaxError as error:
            problems.append(_override_problem(override, error.lineno, error.message or ""))
    if problems:
        raise InvalidSheetError(problems)
    return compiled


def _override_problem(override: Override, line: int | None, reason: str) -> Problem:
    group = f" for {override.group}" if override.group else ""
    at = f", line {line}" if line else ""
    return Problem(override.tab, override.cell, f'template "{override.name}"{group}{at}: {reason}')


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, no blank lines at either end."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def template_line(error: BaseException, filename: str) -> int | None:
    """The template line an error was raised on, from Jinja's rewritten traceback."""
    line = getattr(error, "lineno", None)
    names = {filename, "<template>", "<unknown>"}
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in names:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None


def _reason(error: BaseException) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return f"{error.message}; every variable a template uses must be given"
    return str(error) or type(error).__name__


# -- the sandbox for overrides --------------------------------------------------------------------


class RenderStoppedError(Exception):
    """An override was stopped: too slow, too big, or asking for something refused."""


class _GuardedLoops(CodeGenerator):
    """Compiles every `{% for %}` so that each step goes through `environment.guarded_iter`."""

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
        self.write("environment.guarded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class GuardedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox plus a deadline and a size budget checked at every step.

    Jinja's immutable sandbox refuses access to Python internals and changes
    to the values a message is given (they are shared by every message of a
    run), and bounds `range`; but a template can still loop for hours or build
    gigabytes of text. Here every
    loop step, call, attribute lookup, arithmetic operator and filter checks the
    clock, strings built along the way count against a budget, and the output
    is read piece by piece and cut off at `output_limit`.
    """

    code_generator_class = _GuardedLoops
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, time_limit: float, output_limit: int) -> None:
        super().__init__(
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.time_limit = time_limit
        self.output_limit = output_limit
        self._deadline = float("inf")
        self._built = 0
        self.filters = {name: self._guarded_filter(f) for name, f in self.filters.items()}

    def render(
        self, template: jinja2.Template, override: Override, context: Mapping[str, Any]
    ) -> str:
        """Render `template` within the limits; any failure names the override's cell."""
        self._deadline = time.monotonic() + self.time_limit
        self._built = 0
        pieces: list[str] = []
        size = 0
        try:
            for piece in template.generate(context):
                size += len(piece)
                if size > self.output_limit:
                    raise RenderStoppedError(
                        f"the message is longer than {self.output_limit:,} characters; stopped"
                    )
                self.tick()
                pieces.append(piece)
        except Exception as error:
            line = template_line(error, "<template>")
            reason = _reason(error)
            if isinstance(error, jinja2.UndefinedError):
                reason = f"{error.message}; this message can use {', '.join(sorted(context))}"
            problem = _override_problem(override, line, reason)
            raise InvalidSheetError([problem]) from error
        finally:
            self._deadline = float("inf")
        return "".join(pieces)

    def tick(self) -> None:
        """Stop the render once its time is up."""
        if time.monotonic() > self._deadline:
            raise RenderStoppedError(f"rendering took longer than {self.time_limit:g} s; stopped")

    def guarded_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Each item of a template loop, with the clock checked before it."""
        for item in iterable:
            self.tick()
            yield item

    def guarded_concat(self, text: str) -> str:
        """The result of `~`, counted against the budget."""
        self.tick()
        if len(text) > self.output_limit:
            raise RenderStoppedError(
                f"text longer than {self.output_limit:,} characters is refused"
            )
        self._spend(text)
        return text

    def call(  # the sandbox's own signature: `__` names leave every keyword free for `__obj`
        __self,  # noqa: N805
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        __self.tick()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        self.tick()
        self._check_operands(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        self._spend(result)
        return result

    def _check_operands(self, operator: str, left: Any, right: Any) -> None:
        refusal = _refused_operation(operator, left, right, self.output_limit)
        if refusal:
            raise RenderStoppedError(refusal)

    def _spend(self, result: Any) -> None:
        if isinstance(result, (str, list, tuple)):
            self._built += len(result)
            if self._built > self.output_limit * _WORK_FACTOR:
                raise RenderStoppedError("the template builds too much text; stopped")

    def _guarded_filter(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            skip = 2 if getattr(function, "jinja_pass_arg", None) else 1  # context, value
            for value in (*args[skip:], *kwargs.values()):
                number = isinstance(value, int) and not isinstance(value, bool)
                if number and abs(value) > self.output_limit:
                    raise RenderStoppedError(f"the number {value:,} given to a filter is refused")
                if isinstance(value, str) and _BIG_WIDTH.search(value):
                    raise RenderStoppedError("a format width that large is refused")
            if function.__name__ == "do_format" and _BIG_WIDTH.search(str(args[0])):
                raise RenderStoppedError("a format width that large is refused")
            if function.__name__ == "do_replace" and len(args) >= 4:
                estimate = len(str(args[1])) * max(len(str(args[3])), 1)
                if estimate > self.output_limit * _WORK_FACTOR:
                    raise RenderStoppedError("that replacement would build too much text; refused")
            result = function(*args, **kwargs)
            self._spend(result)
            return result

        return guarded


def _total_length(left: Any, right: Any) -> int:
    """len(left) + len(right) when both have a length, else 0."""
    if hasattr(left, "__len__") and hasattr(right, "__len__"):
        return len(left) + len(right)
    return 0


def _refused_operation(operator: str, left: Any, right: Any, limit: int) -> str:
    """Why `left operator right` would build something huge ('' when it is fine)."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if operator == "*":
        for count, other in ((left, right), (right, left)):
            if isinstance(count, int) and hasattr(other, "__len__") and count * len(other) > limit:
                return f"repeating something {count:,} times is refused"
        if numbers and _bits(left) + _bits(right) > 4096:
            return "a number that large is refused"
    elif operator == "**" and numbers and abs(right) * max(_bits(left), 2) > 4096:
        return f"raising to the power {right} is refused"
    elif operator == "%" and isinstance(left, str) and _BIG_WIDTH.search(left):
        return "a format width that large is refused"
    elif operator == "+" and _total_length(left, right) > limit:
        return f"text longer than {limit:,} characters is refused"
    return ""


def _bits(number: float) -> int:
    return int(abs(number)).bit_length()
