"""Message templates: the bundled files in `templates/<language>/` and the managers' overrides.

`Renderer.render(name, group, context)` gives the text of one message. The
bundled templates are trusted files and render in a plain Jinja environment
(`StrictUndefined`, no HTML escaping, tidy whitespace); a mistake in one is a
`TemplateError` naming the file and line. Overrides come from the `Templates`
tab, which many people edit, so they render in `sandbox.GuardedSandbox`: an
allow-list of what a template may call, and one time and size budget that all
overrides of a run share (a `Renderer` lives for one run). A problem in an
override is an `InvalidSheetError` naming its cell (`Templates!C5`).

`language` picks a folder of bundled files, so it is only ever one of the
folder names grouptier ships (`parse_language` for the Settings cell, checked
again here): no path, absolute or relative, can reach the trusted loader.

One loader serves an installed wheel (`grouptier/templates/`) and a source
checkout (`templates/` at the repository root).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from grouptier.cells import CellError, CellValue, did_you_mean, parse_text
from grouptier.errors import InvalidSheetError, Problem, TemplateError
from grouptier.locales import LANGUAGE_FILTERS, babel_locale
from grouptier.overrides import (
    OVERRIDE_OUTPUT_LIMIT,
    TEMPLATE_NAMES,
    Override,
    checked_problems,
    compile_overrides,
    override_problem,
    reason,
    template_line,
)
from grouptier.render_budget import RUN_SIZE_LIMIT, RUN_TIME_LIMIT, RenderStoppedError, RunBudget
from grouptier.sandbox import GuardedSandbox

__all__ = [
    "DEFAULT_LANGUAGE",
    "OVERRIDE_OUTPUT_LIMIT",
    "TEMPLATE_NAMES",
    "WHATSAPP_MESSAGE_LIMIT",
    "Override",
    "Renderer",
    "languages",
    "languages_named",
    "parse_language",
    "render_override",
    "templates_root",
    "tidy",
]

DEFAULT_LANGUAGE = "en"
WHATSAPP_MESSAGE_LIMIT = 65_536  # characters WhatsApp accepts in one message


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


def languages_named() -> str:
    """`en (English), ar (Arabic), ... or tr (Turkish)`: every bundled language, English first."""
    english = babel_locale("en")
    named = []
    for language in sorted(languages(), key=lambda name: (name != DEFAULT_LANGUAGE, name)):
        code, _, region = language.partition("-")  # `pt-BR`: the folder says the region
        name = english.languages.get(code, language)
        if region:
            name += f", {english.territories.get(region, region)}"
        named.append(f"{language} ({name})")
    return ", ".join(named[:-1]) + f" or {named[-1]}" if len(named) > 1 else "".join(named)


def parse_language(value: CellValue) -> str:
    """The `language` setting: exactly the name of a bundled folder, never a path."""
    name = parse_text(value)
    problem = _language_problem(name, templates_root())
    if problem:
        raise CellError(problem)
    return name


def _language_problem(name: str, root: Path) -> str:
    """Why `name` is not a language of `root` ('' when it is one), in a manager's words."""
    known = languages(root)
    if name in known:
        return ""
    bundled = ", ".join(known) or "none"
    return f'no messages are bundled in "{name}" (bundled: {bundled}){_language_hint(name, known)}'


def _language_hint(name: str, known: list[str]) -> str:
    """` (did you mean "pt-BR"?)` for "pt", "pt_br" or a near miss such as "ess"."""
    key = name.casefold().replace("_", "-")
    for language in known:
        if key in (language.casefold(), language.casefold().split("-")[0]):
            return f' (did you mean "{language}"?)'
    return did_you_mean(name, known)


class Renderer:
    """Renders messages in one language, with the managers' overrides taking precedence.

    Make one per run: all overrides it renders share `time_limit` seconds and
    `size_limit` bytes built (`budget`); one message may have `output_limit`
    characters.
    """

    def __init__(
        self,
        language: str = DEFAULT_LANGUAGE,
        overrides: Iterable[Override] = (),
        *,
        root: Path | None = None,
        time_limit: float = RUN_TIME_LIMIT,
        size_limit: int = RUN_SIZE_LIMIT,
        output_limit: int = OVERRIDE_OUTPUT_LIMIT,
    ) -> None:
        self.root = root or templates_root()
        self.language = language
        self._envs = {language: _bundled_environment(self.root, language)}
        # One budget for every override this renderer (this run) renders, not one per message.
        self.budget = RunBudget(time_limit, size_limit)
        self.sandbox = GuardedSandbox(self.budget)
        for filter_name, function in LANGUAGE_FILTERS.items():
            self.sandbox.filters[filter_name] = _charged(self.sandbox, function)
        self.output_limit = output_limit
        self._bundled: dict[tuple[str, str], jinja2.Template] = {}
        self._overrides, problems = compile_overrides(self.sandbox, overrides)
        problems += checked_problems(self.sandbox, self._overrides, language)
        if problems:
            raise InvalidSheetError(problems)

    def render(
        self, name: str, group: str, context: Mapping[str, Any], language: str | None = None
    ) -> str:
        """The text of message `name` for `group` in `language` (default: the renderer's).

        `language` is a bundled language (checked); the context gets it as `language`,
        which the `plural` and `number` filters write numbers and plurals in.
        """
        language = language or self.language
        context = {"language": language, **context}
        override = self._overrides.get((name, group.casefold())) or self._overrides.get((name, ""))
        if override is not None:
            return tidy(render_override(self.sandbox, *override, context, self.output_limit))
        template = self._template(name, language)
        try:
            return tidy(template.render(context))
        except Exception as error:
            where = self._relative(template.filename)
            line = template_line(error, template.filename or "")
            raise TemplateError(where, line, reason(error)) from error

    def _template(self, name: str, language: str) -> jinja2.Template:
        key = (language, name)
        if key not in self._bundled:
            if language not in self._envs:
                self._envs[language] = _bundled_environment(self.root, language)
            try:
                self._bundled[key] = self._envs[language].get_template(f"{name}.j2")
            except jinja2.TemplateSyntaxError as error:
                where = self._relative(error.filename) if error.filename else f"{name}.j2"
                raise TemplateError(where, error.lineno, error.message or "") from error
            except jinja2.TemplateNotFound as error:
                where = f"templates/{language}/{name}.j2"
                raise TemplateError(where, None, "the file is missing") from error
        return self._bundled[key]

    def _relative(self, filename: str | None) -> str:
        path = Path(filename or "")
        try:
            return f"templates/{path.relative_to(self.root).as_posix()}"
        except ValueError:
            return str(path)


def _bundled_environment(root: Path, language: str) -> jinja2.Environment:
    """Files of `language`, falling back to English for a template not yet translated."""
    problem = _language_problem(language, root)  # again: whatever string reaches here
    if problem:
        raise InvalidSheetError([Problem("Settings", "", f"language: {problem}")])
    folders = [str(root / language)]
    if language != DEFAULT_LANGUAGE and (root / DEFAULT_LANGUAGE).is_dir():
        folders.append(str(root / DEFAULT_LANGUAGE))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(LANGUAGE_FILTERS)
    return env


def _charged(sandbox: GuardedSandbox, function: Callable[..., str]) -> Callable[..., str]:
    """A language filter for overrides: it checks the clock and counts what it writes.

    The budget is looked up at each call: trial renders use their own.
    """

    @jinja2.pass_context
    def charged(context: Any, *args: Any, **kwargs: Any) -> str:
        sandbox.budget.tick()
        text: str = sandbox.budget.charge(function(context, *args, **kwargs))
        return text

    return charged


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, no blank lines at either end."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render_override(
    sandbox: GuardedSandbox,
    template: jinja2.Template,
    override: Override,
    context: Mapping[str, Any],
    output_limit: int = OVERRIDE_OUTPUT_LIMIT,
) -> str:
    """Render an override within the run's budget; any failure names the override's cell."""
    pieces: list[str] = []
    size = 0
    sandbox.budget.start()
    try:
        for piece in template.generate(context):
            size += len(piece)
            if size > output_limit:
                raise RenderStoppedError(
                    f"the message is longer than {output_limit:,} characters; stopped"
                )
            pieces.append(piece)
    except Exception as error:
        line = template_line(error, "<template>")
        why = reason(error)
        if isinstance(error, jinja2.UndefinedError):
            why = f"{error.message}; this message can use {', '.join(sorted(context))}"
        raise InvalidSheetError([override_problem(override, line, why)]) from error
    finally:
        sandbox.budget.stop()
    return "".join(pieces)
