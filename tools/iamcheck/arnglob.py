"""Can a policy's resource ARN match some ARN of a resource type? With a witness ARN.

A resource in a policy is a glob: `*` matches any run of characters (`:` and `/` included)
and `?` one character, as IAM evaluates it. A resource type of the Service Authorization
Reference is an ARN pattern with variables, `arn:${Partition}:glue:${Region}:${Account}:table/
${DatabaseName}/${TableName}`. The grant covers the type when the two languages intersect;
the shortest string in both is the witness: a concrete ARN of that type the grant allows,
which the smoke check simulates.

A variable stands for one or more characters, never the separator that follows it in its
pattern (`${DatabaseName}` above holds no `/`). A variable that ends its pattern holds no
character with which another pattern of the same service continues it: `${BucketName}` holds
no `/` because the object pattern is `${BucketName}/${ObjectName}`, and `${LogGroupName}` no
`:` because the log-stream pattern continues `:log-stream:...`. These rules come from the
reference's own patterns, so nothing is hand-listed per service.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# The witness fills a free position with this character (a letter every class admits).
FILL = "x"


@dataclass(frozen=True)
class Var:
    """One or more characters, none of them in `excluded`."""

    name: str
    excluded: frozenset[str]


def glob_tokens(glob: str) -> list[object]:
    """A policy resource as tokens: literals, STAR and ANY (the string `"*"` is STAR)."""
    return [Star if c == "*" else Any if c == "?" else c for c in glob]


class _Wild:
    """A glob wildcard: Star (any run of characters) or Any (one character)."""

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol

    def __repr__(self) -> str:
        return self.symbol


Star = _Wild("*")
Any = _Wild("?")


def pattern_tokens(
    pattern: str, continuations: frozenset[str] = frozenset()
) -> list[object]:
    """A reference ARN pattern as tokens: literals and Vars.

    `continuations` are the characters with which other patterns of the same service
    continue this one (see the module docstring); the last variable excludes them.
    """
    tokens: list[object] = []
    pos = 0
    matches = list(_VARIABLE.finditer(pattern))
    for i, m in enumerate(matches):
        tokens.extend(pattern[pos : m.start()])
        pos = m.end()
        if i + 1 < len(matches) or pos < len(pattern):
            following = pattern[pos] if pos < len(pattern) else ""
            excluded = (
                frozenset(following) if following and following != "$" else frozenset()
            )
            # Partition, region and account never hold a colon, whatever follows them.
            excluded |= (
                {":"} if m.group(1) in ("Partition", "Region", "Account") else set()
            )
        else:
            excluded = continuations
        tokens.append(Var(m.group(1), frozenset(excluded)))
    tokens.extend(pattern[pos:])
    return tokens


def continuations(pattern: str, siblings: list[str]) -> frozenset[str]:
    """Characters with which a sibling pattern continues `pattern` (same literal prefix)."""
    if not pattern.endswith("}"):
        return frozenset()
    out = set()
    for other in siblings:
        if other != pattern and other.startswith(pattern) and len(other) > len(pattern):
            out.add(other[len(pattern)])
    return frozenset(out)


def _accepts(token: object, c: str) -> bool:
    if isinstance(token, Var):
        return c not in token.excluded
    if token is Star or token is Any:
        return True
    return token == c


def _sample(a: object, b: object) -> str | None:
    """A character both tokens accept, or None."""
    for token in (a, b):
        if isinstance(token, str):
            other = b if token is a else a
            return token if _accepts(other, token) else None
    candidates = [FILL, "0", "-", "_", "."]
    for c in candidates:
        if _accepts(a, c) and _accepts(b, c):
            return c
    return None


def witness(glob: str, pattern: list[object]) -> str | None:
    """A string matched by `glob` and by the pattern tokens, or None.

    Where a star could match nothing the witness prefers a character (`events/*` gives
    `events/x`, an object key, rather than `events/`), falling back to the shortest string.
    """
    if "*" in glob:
        filled = _search(glob.replace("*", FILL + "*"), pattern)
        if filled is not None:
            return filled
    return _search(glob, pattern)


def _search(glob: str, pattern: list[object]) -> str | None:
    """The shortest string matched by `glob` and by the pattern tokens, or None.

    Breadth-first over the product automaton: a state is (position in the glob, position in
    the pattern, whether the pattern's current variable has taken a character yet).
    """
    g = glob_tokens(glob)
    p = pattern
    start = (0, 0, False)
    parent: dict[tuple[int, int, bool], tuple[tuple[int, int, bool], str] | None] = {
        start: None
    }
    queue = deque([start])
    while queue:
        state = queue.popleft()
        i, j, started = state
        if i == len(g) and j == len(p):
            out = []
            while parent[state] is not None:
                state, c = parent[state]
                out.append(c)
            return "".join(reversed(out))
        moves: list[tuple[tuple[int, int, bool], str]] = []
        # Moves that read nothing: a star may match the empty string; a variable that has
        # taken a character may end.
        if i < len(g) and g[i] is Star:
            moves.append(((i + 1, j, started), ""))
        if j < len(p) and isinstance(p[j], Var) and started:
            moves.append(((i, j + 1, False), ""))
        # Moves that read one character both sides accept.
        if i < len(g) and j < len(p):
            c = _sample(g[i], p[j])
            if c is not None:
                ni = i if g[i] is Star else i + 1
                nj, ns = (j, True) if isinstance(p[j], Var) else (j + 1, False)
                moves.append(((ni, nj, ns), c))
        for nxt, c in moves:
            if nxt not in parent:
                parent[nxt] = (state, c)
                # Empty moves first keeps the search shortest-first.
                if c == "":
                    queue.appendleft(nxt)
                else:
                    queue.append(nxt)
    return None
