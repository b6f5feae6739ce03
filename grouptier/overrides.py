"""Managers' overrides from the `Templates` tab: read, checked all at once, rendered in the sandbox.

Before a run renders anything, every override is compiled and checked, and
one `InvalidSheetError` lists every problem, each naming its cell and line:

- a syntax error, or a filter that is not allowed, when it is compiled;
- a variable its kind does not have, in any branch (`{{ nome }}`), and an
  attribute its value does not have (`{{ member.nome }}`), found by reading
  the template against a representative context of that kind
  (`message_samples`), with the closest variable suggested
  ("did you mean `member.name`?");
- what trial renders on those contexts find besides: an attribute misspelt
  on a loop variable, a payload the sandbox stops. Trials have their own
  budget, as large as the run's, so they never eat into what the run's own
  messages may use; an error that depends on the data (an empty list's
  first item) is left to the real render, which names the cell too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from string import ascii_uppercase
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from rapidfuzz import fuzz

from grouptier.cells import did_you_mean, normalise
from grouptier.errors import Problem
from grouptier.locales import LANGUAGE_FILTERS
from grouptier.message_samples import dotted_names, sample_contexts
from grouptier.render_budget import RenderStoppedError, RunBudget
from grouptier.sandbox import ALLOWED_FILTERS, ALLOWED_METHODS, ALLOWED_TESTS, GuardedSandbox

TEMPLATE_NAMES = (
    "welcome",
    "good_morning",
    "weekly_topic",
    "promotion",
    "retention_notice",
    "return",
    "reward",
    "staff_digest",
    "nudge",
)
OVERRIDE_OUTPUT_LIMIT = 100_000  # characters one message from an override may have
SUGGESTION_CUTOFF = 60  # rapidfuzz ratio (0-100) a name must reach to be suggested
_MISSING = re.compile(r"has no (?:attribute|element) '?([^']*)'?$")
_DICT_METHODS = ALLOWED_METHODS[dict]

Compiled = dict[tuple[str, str], tuple[jinja2.Template, "Override"]]


@dataclass(frozen=True)
class Override:
    """A manager's wording for template `name`, for `group` ('' for every group)."""

    name: str
    group: str
    text: str
    cell: str  # A1 reference of the text, e.g. "C5"
    tab: str = "Templates"
    name_cell: str = ""  # A1 reference of the name, e.g. "A5"; '' when unknown: the text's

    @property
    def where(self) -> str:
        """`Templates!C5`."""
        return f"{self.tab}!{self.cell}"


def override_problem(override: Override, line: int | None, reason: str) -> Problem:
    """`Templates!C5: template "welcome" for General, line 2: <reason>`."""
    group = f" for {override.group}" if override.group else ""
    at = f", line {line}" if line else ""
    return Problem(override.tab, override.cell, f'template "{override.name}"{group}{at}: {reason}')


def compile_overrides(
    sandbox: GuardedSandbox, overrides: Iterable[Override]
) -> tuple[Compiled, list[Problem]]:
    """Each override compiled, keyed by (template, group); the problems of those that are not."""
    compiled: Compiled = {}
    seen: dict[tuple[str, str], Override] = {}
    problems: list[Problem] = []
    by_key = {normalise(name): name for name in TEMPLATE_NAMES}
    for override in overrides:
        name = by_key.get(normalise(override.name))
        if name is None:
            hint = did_you_mean(override.name, TEMPLATE_NAMES)
            message = f'"{override.name}" is not a message template{hint}'
            problems.append(Problem(override.tab, override.name_cell or override.cell, message))
            continue
        key = (name, override.group.casefold())
        if key in seen:
            message = f'"{name}" for {override.group or "every group"} is set twice'
            first_row = seen[key].cell.lstrip(ascii_uppercase)
            problems.append(
                Problem(
                    override.tab,
                    override.name_cell or override.cell,
                    f"{message} (also in row {first_row})",
                )
            )
            continue
        seen[key] = override
        try:
            compiled[key] = (sandbox.from_string(override.text), override)
        except jinja2.TemplateSyntaxError as error:
            problems.append(override_problem(override, error.lineno, refusal(error.message or "")))
    return compiled, problems


def checked_problems(sandbox: GuardedSandbox, compiled: Compiled, language: str) -> list[Problem]:
    """Every problem the compiled overrides have with the variables of their kind."""
    problems: list[Problem] = []
    run_budget = sandbox.budget
    sandbox.budget = RunBudget(run_budget.seconds, run_budget.size)  # the trials' own
    try:
        for (name, _), (template, override) in compiled.items():
            contexts = _ordered(sample_contexts(name, language))
            found = _read_problems(sandbox, override, contexts)
            stopped = False
            for context in contexts if not found else []:
                error = _trial_error(sandbox, template, override, context)
                if error is not None:
                    found.append(error)
                    stopped = isinstance(error[2], RenderStoppedError)
                    break
            problems += [override_problem(override, line, reason) for line, reason, _ in found]
            if stopped:
                break  # the trials' budget is spent: later ones would only repeat that
    finally:
        sandbox.budget = run_budget
    return problems


Found = tuple[int | None, str, BaseException | None]


def _ordered(contexts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shared variables last, so that suggestions prefer the kind's own (`member.name`)."""
    shared = {"language", "date", "date_text", "weekday", "weekday_number", "cycle"}
    shared |= {"cycle_days", "cycle_end", "cycle_end_text", "ladder"}
    return [
        {
            **{k: v for k, v in context.items() if k not in shared},
            **{k: v for k, v in context.items() if k in shared},
        }
        for context in contexts
    ]


def _read_problems(
    sandbox: GuardedSandbox, override: Override, contexts: list[dict[str, Any]]
) -> list[Found]:
    """Names and attributes the template uses that its kind has in no context, in any branch."""
    tree = sandbox.parse(override.text)
    known: dict[str, Any] = {}
    for context in contexts:
        known.update({k: v for k, v in context.items() if k not in known})
    stored = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    found: list[Found] = []
    for missing in sorted(meta.find_undeclared_variables(tree) - set(sandbox.globals) - set(known)):
        line, shown = _first_use(tree, missing)
        found.append((line, _unknown(shown, _top_names(known), depth=0), None))
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        chain = _chain(node)
        if not chain or chain[0] not in known or chain[0] in stored:
            continue
        problem = _missing_in(known, chain)
        if problem and (node.lineno, problem) not in [(line, text) for line, text, _ in found]:
            found.append((node.lineno, problem, None))
    return found


def _first_use(tree: nodes.Template, name: str) -> tuple[int | None, str]:
    """The line `name` is first used on, and how (`memebr.name`, or `memebr` alone)."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        chain = _chain(node)
        if chain and chain[0] == name:
            return node.lineno, ".".join(chain)
    uses = (n.lineno for n in tree.find_all(nodes.Name) if n.name == name and n.ctx == "load")
    return next(uses, None), name


def _chain(node: nodes.Node) -> list[str] | None:
    """`['member', 'name']` for `member.name` or `member['name']`; None for anything else."""
    parts: list[str] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            return None
        node = node.node
    if not isinstance(node, nodes.Name) or node.ctx != "load":
        return None
    return [node.name, *reversed(parts)]


def _missing_in(known: Mapping[str, Any], chain: list[str]) -> str:
    """Why `a.b.c` is not there ('' when it is, or when the sample cannot tell)."""
    value: Any = known
    for depth, part in enumerate(chain):
        if not isinstance(value, Mapping):
            return ""  # a text, number or list: the trial renders judge
        if part not in value:
            if depth and part in _DICT_METHODS:
                return ""
            prefix = ".".join(chain[:depth])
            choices = [f"{prefix}.{name}" for name in dotted_names(value, through_lists=False)]
            return _unknown(".".join(chain[: depth + 1]), choices, depth)
        value = value[part]
    return ""


def _top_names(known: Mapping[str, Any]) -> list[str]:
    return dotted_names(known, through_lists=False)


def _unknown(shown: str, choices: list[str], depth: int) -> str:
    """Why `shown` fails, and the closest choice (else what can be used at its level).

    `depth` is the position of the unknown part in `shown` (0: the variable itself).
    """
    hint = suggestion(shown, choices)
    if hint:
        return f"`{shown}` is not available here; did you mean `{hint}`?"
    usable = sorted({".".join(choice.split(".")[: depth + 1]) for choice in choices})
    if not usable:
        return f"`{shown}` is not available here"
    return f"`{shown}` is not available here; this message can use {', '.join(usable)}"


def suggestion(wanted: str, choices: list[str]) -> str:
    """The choice closest to `wanted`, by its whole name or its last part ('' if none is close).

    Choices come in order of preference: a tie goes to the first.
    """
    if not choices:
        return ""
    prefix, _, last = wanted.rpartition(".")

    def closeness(choice: str) -> float:
        choice_prefix, _, choice_last = choice.rpartition(".")
        whole = fuzz.ratio(wanted, choice) if choice_prefix != prefix else 0  # no shared credit
        return max(whole, fuzz.ratio(last, choice_last))

    best, position = max((closeness(choice), -n) for n, choice in enumerate(choices))
    return choices[-position] if best >= SUGGESTION_CUTOFF else ""


def _trial_error(
    sandbox: GuardedSandbox,
    template: jinja2.Template,
    override: Override,
    context: dict[str, Any],
) -> Found | None:
    """What rendering `template` on a sample context reveals ('None': nothing reportable)."""
    try:
        for _ in _bounded(sandbox, template.generate(context)):
            pass
    except jinja2.UndefinedError as error:
        return _undefined(error, override, sandbox, context)
    except (RenderStoppedError, SecurityError) as error:
        return (template_line(error, "<template>"), reason(error), error)
    except Exception:
        return None
    finally:
        sandbox.budget.stop()
    return None


def _bounded(sandbox: GuardedSandbox, pieces: Iterator[str]) -> Iterator[str]:
    sandbox.budget.start()
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > OVERRIDE_OUTPUT_LIMIT:
            raise RenderStoppedError(
                f"the message is longer than {OVERRIDE_OUTPUT_LIMIT:,} characters; stopped"
            )
        yield piece


def _undefined(
    error: jinja2.UndefinedError,
    override: Override,
    sandbox: GuardedSandbox,
    context: Mapping[str, Any],
) -> Found | None:
    """A misspelt name or attribute, with a suggestion; None for what depends on the data."""
    line = template_line(error, "<template>")
    found = _MISSING.search(error.message or "")
    if not found or error.message is None or "has no element" in error.message:
        return None
    part = found.group(1)
    tree = sandbox.parse(override.text)
    chains = [
        chain
        for node in tree.find_all(nodes.Getattr)
        if node.attr == part and (chain := _chain(node)) and node.lineno == (line or node.lineno)
    ]
    shown = ".".join(chains[0]) if chains else part
    root = shown.rsplit(".", 1)[0] if "." in shown else ""
    items = _looped_over(tree, root, context)
    names = dotted_names(items) if items else [n.rsplit(".", 1)[-1] for n in dotted_names(context)]
    choices = list(dict.fromkeys(f"{root}.{name}" for name in names if "." not in name))
    if not items:  # what the loop goes over is unknown: suggest, but list nothing
        hint = suggestion(shown, choices)
        choices = [hint] if hint else []
    return (line, _unknown(shown, choices, shown.count(".")), error)


def _looped_over(
    tree: nodes.Template, target: str, context: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """An item of the list `{% for <target> in <list> %}` goes over, when the list is known."""
    for loop in tree.find_all(nodes.For):
        if isinstance(loop.target, nodes.Name) and loop.target.name == target:
            chain = _chain(loop.iter) if not isinstance(loop.iter, nodes.Name) else [loop.iter.name]
            value: Any = context
            for part in chain or []:
                value = value.get(part) if isinstance(value, Mapping) else None
            if isinstance(value, list) and value and isinstance(value[0], Mapping):
                return value[0]
    return None


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


def reason(error: BaseException) -> str:
    """What went wrong, in a manager's words."""
    if isinstance(error, jinja2.UndefinedError):
        return f"{error.message}; every variable a template uses must be given"
    return refusal(str(error)) or type(error).__name__


def refusal(message: str) -> str:
    """Jinja's "No filter named 'center'." in a manager's words, naming what may be used."""
    found = re.match(r"No (filter|test) named '([^']*)'", message)
    if not found:
        return message
    kind, name = found.groups()
    allowed = (*ALLOWED_FILTERS, *LANGUAGE_FILTERS) if kind == "filter" else ALLOWED_TESTS
    return (
        f'the {kind} "{name}" cannot be used in a message template; '
        f"these can: {', '.join(sorted(set(allowed)))}"
    )
