"""Find the strings a person would read that are not wrapped for translation.

An AST walk over msptui's modules: a string literal (or the text of an f-string)
that reads as words is reported unless it is wrapped in `_()`, `N_()` or
`ngettext()`, or sits where no person reads it: a docstring, CSS, SQL, a
widget id or class, a dictionary key, a comparison, a log line, a key or action
name of a Binding, a file or time format. A line that shows no text to anyone
(a value stored in the database, say) says so with `# i18n: not shown`.

Used by tests/test_i18n.py; `python -m tests.i18n_scan` prints the list.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "msptui"
# Data, not interface: the sample clients are French already, migrations are history,
# the screenshot script is a developer's tool.
SKIPPED = ("store/sample/", "store/migrations/", "ui/screenshot.py")
MARKER = "i18n: not shown"

TRANSLATING = {"_", "N_", "NC_", "ngettext", "pgettext"}
# Calls whose string arguments no person reads as prose.
QUIET_CALLS = {
    "text",
    "execute",
    "exec_driver_sql",
    "executescript",
    "query_one",
    "query",
    "query_children",
    "query_exactly_one",
    "get_widget_by_id",
    "get_child_by_id",
    "set_class",
    "add_class",
    "remove_class",
    "has_class",
    "toggle_class",
    "getattr",
    "setattr",
    "hasattr",
    "delattr",
    "strftime",
    "strptime",
    "compile",
    "match",
    "fullmatch",
    "search",
    "sub",
    "split",
    "rsplit",
    "findall",
    "finditer",
    "Path",
    "open",
    "get",
    "pop",
    "setdefault",
    "startswith",
    "endswith",
    "encode",
    "decode",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "log",
    "getLogger",
    "TypeVar",
    "cast",
    "run_action",
    "action",
    "ContextVar",
    "CheckConstraint",
    "UniqueConstraint",
    "Index",
    "ForeignKey",
    "Column",
    "create_engine",
    "listens_for",
    "listen",
    "import_module",
    "environ",
    "getenv",
    "putenv",
    "add_argument_group",
    "register",
    "namedtuple",
    "NewType",
    "struct",
    "pack",
    "unpack",
    "fromisoformat",
    "isoformat",
    "format_datetime",
    "format_date",
    "format_time",
    "ZoneInfo",
    "Decimal",
    "timedelta",
    "partition",
    "rpartition",
    "replace",
    "strip",
    "lstrip",
    "rstrip",
    "removeprefix",
    "removesuffix",
    "index",
    "find",
    "rfind",
    "count",
    "__getattr__",
    "write_text",
    "glob",
    "rglob",
    "with_suffix",
    "with_name",
    "joinpath",
    "which",
    "run",
    "Popen",
    "check_output",
    "call",
    "check_call",
    "bind",
    "unbind",
    "Style",
    "parse_style",
    "from_color",
    "Color",
    "parse",
    "watch",
    "call_later",
    "set_timer",
    "set_interval",
    "run_worker",
    "post_message",
    "copy_to_clipboard",
    "sort",
    "sorted",
    "field",
    "styled",
    "assemble",
    "stylize",
    "highlight_words",
    "mark",
    "dataclass",
    "event",
    "on",
}
QUIET_KEYWORDS = {
    "id",
    "classes",
    "name",
    "variant",
    "style",
    "key",
    "action",
    "group",
    "justify",
    "overflow",
    "format",
    "sep",
    "end",
    "encoding",
    "errors",
    "mode",
    "prefix",
    "suffix",
    "dir",
    "dest",
    "metavar",
    "choices",
    "sa_type",
    "foreign_key",
    "ondelete",
    "server_default",
    "key_display",
    "layout",
    "type",
    "border_style",
    "header_style",
    "row_styles",
    "title_style",
    "pattern",
    "regex",
    "restrict",
    "thread",
    "exclusive",
    "order_by",
    "sqlite_where",
    "postgresql_where",
    "table",
    "column",
    "schema",
    "index",
    "unique",
    "highlight",
    "markup",
    "exit_on_error",
    "min_width",
    "cursor_type",
    "language",
    "theme",
    "valid_empty",
    "width",
    "height",
    "align",
    "vertical",
    "end_section",
    "ratio",
    "no_wrap",
    "zone",
    "currency",
    "locale",
    "tz",
    "option_id",
    "value_id",
    "binding",
    "check",
    "alias",
    "sa_column_kwargs",
    "json_schema_extra",
    "tag",
    "key_name",
    "table_name",
}
CLASS_CONSTANTS = {
    "DEFAULT_CSS",
    "CSS",
    "CSS_PATH",
    "COMPONENT_CLASSES",
    "__tablename__",
    "SCOPED_CSS",
    "ID",
    "__all__",
    "__slots__",
    "__match_args__",
    "AUTO_FOCUS",
    "DEFAULT_CLASSES",
    "HELP",
}
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|WITH|PRAGMA|BEGIN|DROP|ALTER|REPLACE|VALUES)\b|\bFROM\b")
MARKUP = re.compile(r"\[/?[@a-z#0-9 $._=-]*\]")
WORD = re.compile(r"[A-Za-z][a-z]+|[a-z]{2,}")


@dataclass(frozen=True)
class Unwrapped:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def reads_as_words(text: str) -> bool:
    plain = MARKUP.sub("", text)
    if not WORD.search(plain) or SQL.search(plain):
        return False
    stripped = plain.strip()
    if " " not in stripped:
        # One token: a word a person reads starts with a capital ("Client", "Cancel");
        # lower-case tokens are identifiers, statuses, ids, CSS and paths.
        return bool(re.fullmatch(r"[A-Z][a-z]+[a-zA-Z'’.:!?…-]*", stripped))
    if re.fullmatch(r"[#.a-zA-Z0-9_>:, ()*-]+", stripped) and not re.search(r"[A-Z][a-z]", stripped):
        return not re.fullmatch(r"[#.]?[a-z0-9_-]+([ >,]+[#.]?[a-z0-9_-]+)*", stripped)  # CSS selectors
    return True


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Walker(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.found: list[Unwrapped] = []
        self.quiet = 0

    def _hush(self, nodes: list[ast.AST]) -> None:
        self.quiet += 1
        for n in nodes:
            self.visit(n)
        self.quiet -= 1

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring or a bare string: read by developers
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        self.visit(node.func)
        if name in TRANSLATING or name in QUIET_CALLS:
            self._hush([*node.args, *(k.value for k in node.keywords)])
            return
        if name == "Binding":
            self._hush(node.args[:2])  # key and action; the description (3rd) is shown
            for arg in node.args[2:]:
                self.visit(arg)
        else:
            for arg in node.args:
                self.visit(arg)
        for kw in node.keywords:
            if kw.arg in QUIET_KEYWORDS:
                self._hush([kw.value])
            else:
                self.visit(kw.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        names = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if names & CLASS_CONSTANTS:
            return
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id in CLASS_CONSTANTS:
            return
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        self._hush([node.left, *node.comparators])

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self._hush([node.slice])

    def visit_Dict(self, node: ast.Dict) -> None:
        self._hush([k for k in node.keys if k is not None])
        for v in node.values:
            self.visit(v)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        if not self.quiet and reads_as_words(literal):
            self._report(node, "f" + repr(literal))
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                self.visit(v.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and not self.quiet and reads_as_words(node.value):
            self._report(node, node.value)

    def _report(self, node: ast.AST, text: str) -> None:
        line = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", line) or line
        if any(MARKER in self.lines[i - 1] for i in range(max(1, line - 1), end + 1) if i <= len(self.lines)):
            return
        self.found.append(Unwrapped(self.path, line, text[:80]))


def unwrapped_in(path: Path) -> list[Unwrapped]:
    source = path.read_text(encoding="utf-8")
    walker = _Walker(str(path.relative_to(ROOT)), source.splitlines())
    walker.visit(ast.parse(source))
    return walker.found


def modules() -> list[Path]:
    return [
        p for p in sorted(PACKAGE.rglob("*.py")) if not any(part in str(p.relative_to(PACKAGE)) for part in SKIPPED)
    ]


def unwrapped(paths: list[Path] | None = None) -> list[Unwrapped]:
    return [u for p in (paths or modules()) for u in unwrapped_in(p)]


def shadowed_underscore(path: Path) -> list[str]:
    """Lines that assign `_` in a module that translates with `_()`: the assignment hides the function."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports_it = any(
        isinstance(n, ast.ImportFrom) and any(a.name == "_" and a.asname is None for a in n.names)
        for n in ast.walk(tree)
    )
    if not imports_it:
        return []
    found = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store):
            found.append(f"{path.relative_to(ROOT)}:{n.lineno}")
        if isinstance(n, ast.arg) and n.arg == "_":
            found.append(f"{path.relative_to(ROOT)}:{n.lineno}")
    return found


def translated_at_import(path: Path) -> list[str]:
    """`_()` / `ngettext()` called outside any function: run once, at import, in whatever language was set then."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue  # runs when called, not at import
            if isinstance(child, ast.Call) and _call_name(child) in ("_", "ngettext"):
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
            walk(child)

    walk(tree)
    return found


if __name__ == "__main__":
    targets = [Path(a).resolve() for a in sys.argv[1:]] or None
    if targets:
        targets = [q for t in targets for q in (sorted(t.rglob("*.py")) if t.is_dir() else [t])]
    results = unwrapped(targets)
    for u in results:
        print(u)
    print(f"{len(results)} strings to wrap", file=sys.stderr)
