"""Compare two Proxmox patterns as the sets of values they accept.

Patterns are Perl regexes (translated by ``pvegen.runtime.perlre``) checked anchored. Two ways:
- proof by structure: the new pattern covers the old one piece by piece (an alternative added, a
  character class grown, a repeat allowing more, an optional part added). Sound but incomplete:
  it says "covers" only when that is certain, "don't know" otherwise;
- examples: values generated from one pattern (preferring the characters where the two differ)
  that the other rejects. An example is a fact, whatever the structure.

``compare_patterns(old, new)`` gives both; callers judge complete schemas with the examples.
"""

from __future__ import annotations

import functools
import importlib
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..runtime.perlre import perl_match, translate

__all__ = ["PatternVerdict", "clear_caches", "compare_patterns", "samples", "shrink"]

_parser: Any = importlib.import_module("re._parser")  # internal, stable since 3.11 (sre_parse before)
_c: Any = _parser

# Every comparison of character sets is made over these characters: ASCII and a few that tell
# Unicode-aware classes (\w, \d, \s) from ASCII ones.
_PALETTE = (*tuple(chr(i) for i in range(128)), "é", "Ä", "漢", "٣", "\xa0")
_DIGIT, _WORD, _SPACE = re.compile(r"\d"), re.compile(r"\w"), re.compile(r"\s")
_CATEGORIES = {
    _c.CATEGORY_DIGIT: lambda ch: bool(_DIGIT.match(ch)),
    _c.CATEGORY_NOT_DIGIT: lambda ch: not _DIGIT.match(ch),
    _c.CATEGORY_WORD: lambda ch: bool(_WORD.match(ch)),
    _c.CATEGORY_NOT_WORD: lambda ch: not _WORD.match(ch),
    _c.CATEGORY_SPACE: lambda ch: bool(_SPACE.match(ch)),
    _c.CATEGORY_NOT_SPACE: lambda ch: not _SPACE.match(ch),
}
_BUDGET = 4000  # covering steps; beyond it the answer is "don't know"
_SAMPLES = 32


class _Unsupported(Exception):
    pass


# A pattern as nested tuples (hashable, so the covering search can memoise):
#   ("chars", frozenset)   one character from the set
#   ("repeat", lo, hi, seq) hi None: unbounded
#   ("branch", (seq, ...))
Node = tuple[Any, ...]
Seq = tuple[Node, ...]


@functools.lru_cache(maxsize=512)
def _normalise(pattern: str) -> Seq | None:
    try:
        parsed = _parser.parse(translate(pattern))
        seq = _seq(list(parsed), parsed.state.flags)
    except (_Unsupported, ValueError, re.error, RecursionError, OverflowError, TypeError, AttributeError):
        return None
    while seq and seq[0] == ("at",):
        seq = seq[1:]
    while seq and seq[-1] == ("at",):
        seq = seq[:-1]
    if any(node == ("at",) for node in _walk(seq)):
        return None
    return seq


def _walk(seq: Seq) -> Any:
    for node in seq:
        yield node
        if node[0] == "repeat":
            yield from _walk(node[3])
        elif node[0] == "branch":
            for option in node[1]:
                yield from _walk(option)


def _seq(items: list[tuple[Any, Any]], flags: int) -> Seq:
    out: list[Node] = []
    for op, arg in items:
        if op == _c.SUBPATTERN:
            _group, add, remove, body = arg
            out.extend(_seq(list(body), (flags | add) & ~remove))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, high, body = arg
            out.append(("repeat", low, None if high == _c.MAXREPEAT else high, _seq(list(body), flags)))
        elif op == _c.BRANCH:
            out.append(("branch", tuple(_seq(list(option), flags) for option in arg[1])))
        elif op == _c.AT:
            out.append(("at",))
        else:
            out.append(("chars", _chars(op, arg, flags)))
    return tuple(out)


def _chars(op: Any, arg: Any, flags: int) -> frozenset[str]:
    fold = bool(flags & re.IGNORECASE)

    def variants(ch: str) -> set[str]:
        return {ch, ch.lower(), ch.upper()} if fold else {ch}

    if op == _c.LITERAL:
        return frozenset(c for c in _PALETTE if variants(c) & {chr(arg)})
    if op == _c.NOT_LITERAL:
        return frozenset(c for c in _PALETTE if not variants(c) & {chr(arg)})
    if op == _c.ANY:
        return frozenset(c for c in _PALETTE if c != "\n" or flags & re.DOTALL)
    if op == _c.IN:
        negate = bool(arg) and arg[0][0] == _c.NEGATE
        tests = [_in_test(item_op, item_arg) for item_op, item_arg in (arg[1:] if negate else arg)]
        return frozenset(c for c in _PALETTE if any(t(v) for t in tests for v in variants(c)) != negate)
    raise _Unsupported(op)


def _in_test(op: Any, arg: Any) -> Any:
    if op == _c.LITERAL:
        return lambda ch: ch == chr(arg)
    if op == _c.RANGE:
        low, high = arg
        return lambda ch: low <= ord(ch) <= high
    if op == _c.CATEGORY and arg in _CATEGORIES:
        return _CATEGORIES[arg]
    raise _Unsupported(op)


# -- proof by structure -------------------------------------------------------------------------


@dataclass
class _Search:
    steps: int = 0
    memo: dict[tuple[Seq, Seq], bool] = field(default_factory=dict)
    # Characters some part of the covered pattern takes and the covering part does not: where to
    # look for an example when the proof fails.
    missing: set[str] = field(default_factory=set)

    def covers(self, a: Seq, b: Seq) -> bool:
        """Every string ``b`` matches, ``a`` matches (False also means: not proven)."""
        key = (a, b)
        if key in self.memo:
            return self.memo[key]
        self.steps += 1
        if self.steps > _BUDGET:
            raise _Unsupported("budget")
        self.memo[key] = False  # a cycle proves nothing
        result = self._covers(a, b)
        self.memo[key] = result
        return result

    def _covers(self, a: Seq, b: Seq) -> bool:
        if not b:
            return _nullable(a)
        first, rest = b[0], b[1:]
        if first[0] == "branch":
            return all(self.covers(a, option + rest) for option in first[1])
        if not a:
            return False
        head, tail = a[0], a[1:]
        if head[0] == "branch":
            if any(self.covers(option + tail, b) for option in head[1]):
                return True
            # The parser factors common prefixes out of alternatives ("no(atime|dev)"): split the
            # covered side at its next alternative and cover each of its options on its own.
            at = next((i for i, node in enumerate(b) if node[0] != "chars"), None)
            if at is None or b[at][0] != "branch":
                return False
            return all(self.covers(a, b[:at] + option + b[at + 1 :]) for option in b[at][1])
        if head[0] == "repeat":
            return self._repeat_covers(head, tail, b)
        if first[0] == "repeat":
            return self._unroll(a, first, rest)
        if not first[1] <= head[1]:
            self.missing |= first[1] - head[1]
            return False
        return self.covers(tail, rest)

    def _repeat_covers(self, head: Node, tail: Seq, b: Seq) -> bool:
        _, low, high, body = head
        first, rest = b[0], b[1:]
        if first[0] == "repeat":
            _, b_low, b_high = first[:3]
            within = b_low >= low and (high is None or (b_high is not None and b_high <= high))
            if within and self.covers(body, first[3]) and self.covers(tail, rest):
                return True
        if low == 0 and self.covers(tail, b):
            return True
        if high == 0:
            return False
        fewer = ("repeat", max(low - 1, 0), None if high is None else high - 1, body)
        return self.covers((*body, fewer, *tail), b)

    def _unroll(self, a: Seq, first: Node, rest: Seq) -> bool:
        _, low, high, body = first
        fewer = ("repeat", max(low - 1, 0), None if high is None else high - 1, body)
        if low > 0:
            return self.covers(a, (*body, fewer, *rest))
        if not self.covers(a, rest):
            return False
        return high == 0 or self.covers(a, (*body, fewer, *rest))


def _nullable(seq: Seq) -> bool:
    return all(_node_nullable(node) for node in seq)


def _node_nullable(node: Node) -> bool:
    if node[0] == "repeat":
        return bool(node[1] == 0 or _nullable(node[3]))
    if node[0] == "branch":
        return any(_nullable(option) for option in node[1])
    return False


# -- examples ------------------------------------------------------------------------------------


def samples(pattern: str, count: int = _SAMPLES, prefer: frozenset[str] = frozenset()) -> list[str]:
    """Values matching ``pattern``, varied, preferring the characters in ``prefer`` (deterministic)."""
    seq = _normalise(pattern)
    if seq is None:
        return []
    rng = random.Random(zlib.crc32(pattern.encode("utf-8", "surrogatepass")))
    found: list[str] = []
    try:
        for _ in range(count):
            text = "".join(_emit(node, rng, prefer) for node in seq)
            if text not in found and perl_match(pattern, text):
                found.append(text)
    except (_Unsupported, RecursionError):
        return found
    return sorted(found, key=_plainness)


def _plainness(text: str) -> tuple[int, int]:
    """Examples people can read first: few odd characters, then short."""
    return (sum(not (c.isascii() and c.isprintable()) for c in text), len(text))


def _emit(node: Node, rng: random.Random, prefer: frozenset[str]) -> str:
    kind = node[0]
    if kind == "chars":
        members: frozenset[str] = node[1]
        if not members:
            raise _Unsupported("empty class")
        favoured = sorted(members & prefer)
        if favoured and rng.random() < 0.5:
            return rng.choice(favoured)
        plain = sorted(c for c in members if c.isalnum() and c.isascii())
        odd = sorted(members - set(plain))
        pool = plain if plain and (not odd or rng.random() < 0.6) else odd
        return rng.choice(pool)
    if kind == "repeat":
        _, low, high, body = node
        top = low + 3 if high is None else min(high, low + 3)
        times = rng.randint(low, max(low, top))
        return "".join(_emit(child, rng, prefer) for _ in range(times) for child in body)
    option = node[1][rng.randrange(len(node[1]))]
    return "".join(_emit(child, rng, prefer) for child in option)


# -- the verdict -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternVerdict:
    wider_proven: bool  # every value the old pattern accepts, the new one accepts (by structure)
    narrower_proven: bool  # and the other way round
    old_only: tuple[str, ...]  # examples the old pattern accepts and the new one rejects
    new_only: tuple[str, ...]

    @property
    def equal(self) -> bool:
        return self.wider_proven and self.narrower_proven


@functools.lru_cache(maxsize=256)
def compare_patterns(old: str, new: str) -> PatternVerdict:
    old_seq, new_seq = _normalise(old), _normalise(new)
    wider = narrower = False
    towards_new: set[str] = set()
    towards_old: set[str] = set()
    if old_seq is not None and new_seq is not None:
        wider, towards_new = _proof(new_seq, old_seq)
        narrower, towards_old = _proof(old_seq, new_seq)
    old_only = tuple(s for s in samples(old, prefer=frozenset(towards_new)) if perl_match(new, s) is False)
    new_only = tuple(s for s in samples(new, prefer=frozenset(towards_old)) if perl_match(old, s) is False)
    return PatternVerdict(wider, narrower, old_only, new_only)


def _proof(a: Seq, b: Seq) -> tuple[bool, set[str]]:
    search = _Search()
    try:
        return search.covers(a, b), search.missing
    except (_Unsupported, RecursionError):
        return False, search.missing


def shrink(text: str, keep: Callable[[str], bool], budget: int = 600) -> str:
    """A shorter, plainer example with the same property: drop runs of characters (halves first,
    then smaller), then replace odd characters by plain ones."""
    current = text
    changed = True
    while changed and budget > 0:
        changed = False
        for candidate in _smaller(current):
            if _plainness(candidate) >= _plainness(current):
                continue
            budget -= 1
            if keep(candidate):
                current, changed = candidate, True
                break
            if budget <= 0:
                break
    return current


def _smaller(text: str) -> Any:
    size = max(len(text) // 2, 1)
    while size >= 1:
        for start in range(0, len(text), size):
            yield text[:start] + text[start + size :]
        size //= 2
    for i, ch in enumerate(text):
        if not (ch.isascii() and ch.isalnum()):
            yield text[:i] + "a" + text[i + 1 :]


def clear_caches() -> None:
    """Forget remembered comparisons (benchmarks measure a cold run)."""
    _normalise.cache_clear()
    compare_patterns.cache_clear()
