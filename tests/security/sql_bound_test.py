"""Every SQL statement is bound: no value is ever spliced into SQL text.

Scans the C++ sources for statements that build SQL by concatenation or
formatting (a string literal, or a named constant, holding SQL joined with `+`,
`+=` or fmt::format).
Each one must be listed, with the reason it is safe, in sql_allowlist.txt
beside this file: the pieces it splices are placeholder names, column lists
and integers the code itself makes, never text from a request or a file. A new
splice fails this test until someone reviews it and lists it; a listed one that
no longer exists fails it too, so the list stays true.
Usage: sql_bound_test.py SOURCE_ROOT
"""

import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
SQL = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WHERE|LIMIT|ORDER\s+BY|VALUES|AND|OR|IN)\b")
LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')


def statements(text):
    """The source without comments, cut at semicolons outside literals and braces kept."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    current, out, i = [], [], 0
    while i < len(text):
        if text[i] == '"':
            m = LITERAL.match(text, i)
            if m:
                current.append(m.group(0))
                i = m.end()
                continue
        if text[i] in ";{}":
            out.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    out.append("".join(current))
    return [" ".join(s.split()) for s in out if s.strip()]


# What may follow a `+` without review: another literal, a choice between two
# literals, a named constant (kColumns, std::string(kLines)), or a number
# (std::to_string takes numbers only).
SAFE_OPERAND = re.compile(r'\s*(""|std::to_string\(|\(\s*[\w.!>-]+\s*\?\s*""\s*:\s*""\s*\)|std::string\(k\w+\)|k[A-Z]\w*\b)')


# A named constant holding SQL (constexpr std::string_view kLotsIn = "SELECT …"):
# a statement joining it to other pieces is SQL built from pieces as well.
CONSTANT = re.compile(r'constexpr\s+[\w:*\s]+?\b(k\w+)(?:\[\])?\s*=\s*((?:"(?:[^"\\]|\\.)*"\s*)+);')


def sql_constants(text):
    return {m.group(1) for m in CONSTANT.finditer(text) if SQL.search(m.group(2))}


def splices_sql(statement, constants=frozenset()):
    literals = LITERAL.findall(statement)
    code = LITERAL.sub('""', statement)
    names = set(re.findall(r"\bk\w+", code))
    if not any(SQL.search(lit) for lit in literals) and not names & constants:
        return False
    # operators outside literals only (`code`)
    if "fmt::format" in code:
        return True
    return any(not SAFE_OPERAND.match(operand) for operand in right_operands(code))


def right_operands(code):
    """What follows each `+` or `+=` that joins text: a + inside the parentheses
    of std::to_string(limit + 1) is arithmetic and is skipped."""
    operands = []
    for m in re.finditer(r"(?<![+])\+(?![+])=?", code):
        if not inside_to_string(code, m.start()):
            operands.append(code[m.end():])
    return operands


def inside_to_string(code, at):
    opened = code.rfind("std::to_string(", 0, at)
    if opened == -1:
        return False
    depth = 0
    for c in code[opened + len("std::to_string"):at]:
        depth += c == "("
        depth -= c == ")"
    return depth > 0


findings = set()
for path in sorted(root.glob("*/**/*.[ch]pp")):
    relative = path.relative_to(root).as_posix()
    if not relative.split("/")[0] in ("adapters", "api", "cli", "engine", "usecases"):
        continue
    text = path.read_text(encoding="utf-8")
    constants = sql_constants(text)
    for statement in statements(text):
        if splices_sql(statement, constants):
            findings.add((relative, statement))

allowed = {}
listing = pathlib.Path(__file__).with_name("sql_allowlist.txt")
for line in listing.read_text(encoding="utf-8").splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    file, statement, reason = (part.strip() for part in line.split(" | ", 2))
    if not reason:
        sys.exit(f"sql_allowlist.txt: no reason given for {file}: {statement}")
    allowed[(file, statement)] = reason

unlisted = sorted(findings - allowed.keys())
stale = sorted(allowed.keys() - findings)
for file, statement in unlisted:
    print(f"SQL built from pieces, not in the allowlist:\n  {file} | {statement} | <why it is safe>")
for file, statement in stale:
    print(f"allowlisted SQL splice no longer in the sources: {file} | {statement}")
print(f"{len(findings)} SQL splices found, {len(allowed)} listed with a reason")
sys.exit(1 if unlisted or stale else 0)
