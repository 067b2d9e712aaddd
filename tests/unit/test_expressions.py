"""The show_if expression language: errors and their positions, precedence, evaluation semantics.

Expected truth values are computed here from Python's own operators on the same values (with the
language's one deliberate difference, null, applied by hand), never copied from the implementation.
"""

from __future__ import annotations

import itertools
import math
import operator
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.errors import InvalidExpression
from survey.questionnaire.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Answered,
    Compare,
    Constant,
    Expr,
    In,
    Name,
    Not,
    Or,
    Selected,
    calculate,
    compile_expression,
    evaluate,
    names,
    parse,
)

FEW = settings(max_examples=100, deadline=None)

OPS: dict[str, Callable[[object, object], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def run(source: str, answers: Mapping[str, object]) -> bool:
    return evaluate(parse(source), answers)


def quote(text: str, mark: str = "'") -> str:
    """Write ``text`` as a string literal of the language, escaping as its documentation says."""
    return mark + text.replace("\\", "\\\\").replace(mark, "\\" + mark) + mark


def parse_error(source: str) -> InvalidExpression:
    with pytest.raises(InvalidExpression) as caught:
        parse(source)
    return caught.value


# --------------------------------------------------------------------------------------------------
# Any text either parses or raises InvalidExpression pointing inside the text

GRAMMAR_SOUP = "abmxyz_019 \t\n.-'\"\\()[],=!<>&|AN" + "andornotintruefalsenullselectedanswered"
TOKENS = [
    *["a", "b", "m", "x_1", "1", "-2", "2.5", "'s'", '"t"', "'it\\'s'"],
    *["true", "false", "null", "and", "or", "not", "in", "selected", "answered", "foo"],
    *["==", "!=", "<", "<=", ">", ">=", "(", ")", "[", "]", ",", "'", "\\", "=", "-", "Ab", "1."],
]


def check_parse_or_reject(source: str) -> None:
    try:
        expr = parse(source)
    except InvalidExpression as error:
        # The position must point inside the text (0 for an empty one) so that it can be shown.
        assert 0 <= error.position < max(len(source), 1)
        assert str(error).endswith(f" at position {error.position}")
        return
    assert isinstance(expr, Expr)
    assert isinstance(evaluate(expr, {}), bool)
    assert isinstance(evaluate(expr, {"a": 1, "b": "s", "m": ["s"], "x_1": None}), bool)


@FEW
@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_invalid_expression(source: str) -> None:
    check_parse_or_reject(source)


@FEW
@given(st.text(alphabet=GRAMMAR_SOUP, max_size=60))
def test_grammar_characters_raise_only_invalid_expression(source: str) -> None:
    check_parse_or_reject(source)


@settings(max_examples=250, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=14), st.sampled_from([" ", "", "\n"]))
def test_token_sequences_raise_only_invalid_expression(tokens: list[str], glue: str) -> None:
    check_parse_or_reject(glue.join(tokens))


def test_non_text_is_rejected_as_invalid_expression() -> None:
    with pytest.raises(InvalidExpression):
        parse(True)  # type: ignore[arg-type]  # YAML reads `show_if: true` as a bool


# --------------------------------------------------------------------------------------------------
# Error messages and positions; the caret line marks the expected position under the source

EXACT_MESSAGES = [
    ("consent == 'yes' and", "                 ^", 'expected a value after "and"'),
    ("a == 1)", "      ^", 'unexpected ")"'),
    ("a == 'yes", "     ^", "unterminated string"),
    ("foo(a) or b", "^", 'unknown function "foo"'),
    ("b and not foo(a)", "          ^", 'unknown function "foo"'),
]

MESSAGE_STARTS = [
    ("", "^", "the expression is empty"),
    ("  \t ", "^", "the expression is empty"),
    ("a and )", "      ^", 'expected a value after "and" but found ")"'),
    ("a == ()", "      ^", 'expected a value after "("'),
    ("a or", "  ^", 'expected a value after "or"'),
    ("not", "^", 'expected a value after "not"'),
    ("a == 1 and (b == 2 or", "                   ^", 'expected a value after "or"'),
    ("(a == 1", "^", 'unclosed "("'),
    ("a == (", "     ^", 'expected a value after "("'),
    ("((a) == 1 b", "          ^", 'expected ")"'),
    ("a < b < c", "      ^", 'unexpected "<": comparisons cannot be chained'),
    ("a == 1 == 2", "       ^", 'unexpected "=="'),
    ("a in [1] in [2]", "         ^", 'unexpected "in"'),
    ("a in [1] not in [2]", "         ^", 'unexpected "not"'),
    ("x in [1, 2", "     ^", 'unclosed "["'),
    ("x in [1,]", "        ^", 'expected a quoted value, a number, true, false or null after ","'),
    ("x in [1 2]", "        ^", 'expected "," or "]"'),
    ("x in [y]", "      ^", "expected a quoted value"),
    ("x in y", "     ^", "expected a list"),
    ("x in", "  ^", "expected a list like ['a', 'b'] after \"in\""),
    ("x not y", "  ^", 'unexpected "not"'),
    ("[1] == a", "^", 'a list is allowed only after "in"'),
    ("a b", "  ^", 'unexpected "b"'),
    ("selected(a)", "          ^", "expected \",\" in selected(item, 'value')"),
    ("selected(a, 1)", "            ^", "expected a quoted value in selected(item, 'value')"),
    ("selected(in, 'x')", "         ^", "expected an item key in selected(item, 'value')"),
    ("selected(a, 'x'", "        ^", 'unclosed "("'),
    ("answered(a, b)", "          ^", 'expected ")" in answered(item)'),
    ("answered('a')", "         ^", "expected an item key in answered(item)"),
    ("Age > 1", "^", 'invalid item key "Age"'),
    ("a > 1 and _b", "          ^", 'invalid item key "_b"'),
    ("a > 1 and True", "          ^", 'unknown word "True" (did you mean "true"?)'),
    ("a = 1", "  ^", 'unexpected "=" (to compare, write "==")'),
    ("a == !b", "     ^", 'unexpected "!"'),
    ("a && b", "  ^", 'unexpected "&" (write "and")'),
    ("a || b", "  ^", 'unexpected "|" (write "or")'),
    ("a == 18abc", "     ^", 'invalid number "18abc"'),
    ("a == 1.2.3", "     ^", 'invalid number "1.2.3"'),
    ("a == 1.", "     ^", 'incomplete number "1."'),
    ("a == -", "     ^", "expected a value after"),
    ("a * ", "  ^", "expected a value after"),
    ("if(a, 1)", "^", "if() takes 3 arguments, not 2"),
    ("coalesce(a)", "^", "coalesce() takes at least 2 arguments, not 1"),
    ("count_selected('x')", "               ^", "expected an item key in count_selected(item)"),
    ("concat(a b)", "         ^", 'expected "," or ")" after "a"'),
    ("a == 'x\\n'", "       ^", 'unknown escape "\\n"'),
    ('a == "it\\"s', "     ^", "unterminated string"),
    ("a == 'x\\", "     ^", "unterminated string"),
    ("a == 'ok' and b == 'no", "                   ^", "unterminated string"),
    ("é == 1", "^", 'unexpected character "é"'),
    ("a == 1 and 'x", "           ^", "unterminated string"),
]


@pytest.mark.parametrize(("source", "caret", "message"), EXACT_MESSAGES)
def test_documented_messages_and_positions(source: str, caret: str, message: str) -> None:
    error = parse_error(source)
    assert error.reason == message
    assert error.position == caret.index("^")
    assert str(error) == f"{message} at position {caret.index('^')}"


@pytest.mark.parametrize(("source", "caret", "message"), MESSAGE_STARTS)
def test_error_positions_point_at_the_offending_token(
    source: str, caret: str, message: str
) -> None:
    error = parse_error(source)
    assert error.position == caret.index("^"), error.reason
    assert error.reason.startswith(message), error.reason


def test_the_leftmost_error_is_reported() -> None:
    # Both halves are wrong; the tokenizer reads lazily, so the parser's complaint about "and" wins.
    error = parse_error("a and and 'unterminated")
    assert error.position == 6


# --------------------------------------------------------------------------------------------------
# Tokens


@FEW
@given(st.text(max_size=20), st.sampled_from(["'", '"']))
def test_string_literals_round_trip_through_escapes(text: str, mark: str) -> None:
    assert parse(quote(text, mark)) == Constant(text)
    assert run(f"s == {quote(text, mark)}", {"s": text})


@FEW
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_integer_literals(number: int) -> None:
    assert parse(str(number)) == Constant(number)


@FEW
@given(st.decimals(min_value=-(10**6), max_value=10**6, places=3))
def test_decimal_literals(number: Decimal) -> None:
    text = format(number, "f")
    assert parse(text) == Constant(float(text))


def test_names_keywords_and_whitespace() -> None:
    assert parse("q_1a") == Name("q_1a")
    assert parse("\n a1\t==\r\n2 ") == Compare("==", Name("a1"), Constant(2))
    assert parse("true") == Constant(True)
    assert parse("false") == Constant(False)
    assert parse("null") == Constant(None)
    assert parse("x in [-1, 'a', \"b\", true, null]") == In(Name("x"), (-1, "a", "b", True, None))
    assert parse("x not in []") == In(Name("x"), (), negated=True)
    # A function name not followed by "(" is an ordinary item key.
    assert parse("answered") == Name("answered")


def test_name_positions_are_kept_for_validators() -> None:
    expr = parse("a == 1 or selected(mm, 'x') or answered(zz)")
    assert isinstance(expr, Or)
    first, second, third = expr.operands
    assert isinstance(first, Compare) and isinstance(first.left, Name)
    assert isinstance(second, Selected) and isinstance(third, Answered)
    assert (first.left.position, second.position, third.position) == (0, 19, 40)


def test_trees_are_immutable() -> None:
    expr = parse("a == 1")
    with pytest.raises(AttributeError):
        expr.op = "!="  # type: ignore[attr-defined,misc]


# --------------------------------------------------------------------------------------------------
# Truth tables


@pytest.mark.parametrize(("p", "q"), list(itertools.product([True, False], repeat=2)))
def test_and_or_not_truth_tables(p: bool, q: bool) -> None:
    answers = {"p": p, "q": q}
    assert run("p and q", answers) is (p and q)
    assert run("p or q", answers) is (p or q)
    assert run("not p", answers) is (not p)
    assert run("not not p", answers) is p
    assert run("p and not q or not p and q", answers) is (p != q)


def test_and_or_short_circuit_left_to_right() -> None:
    class Recorder(dict[str, object]):
        def get(self, key: str, default: object = None) -> object:
            seen.append(key)
            return super().get(key, default)

    seen: list[str] = []
    evaluate(parse("p and q and r"), Recorder(p=False, q=True, r=True))
    assert seen == ["p"]
    seen.clear()
    evaluate(parse("p or q or r"), Recorder(p=False, q=True, r=True))
    assert seen == ["p", "q"]


finite = st.one_of(
    st.integers(min_value=-20, max_value=20),
    st.floats(min_value=-20, max_value=20, allow_nan=False),
)
number = st.one_of(finite, st.sampled_from([math.nan, math.inf, -math.inf, 10**40]))


@FEW
@given(number, number, st.sampled_from(sorted(OPS)))
def test_numeric_comparisons_follow_python(x: float, y: float, op: str) -> None:
    # int and float alike: Python's own mixed comparison is the reference, NaN included.
    assert run(f"x {op} y", {"x": x, "y": y}) is OPS[op](x, y)


@st.composite
def number_literal(draw: st.DrawFn) -> tuple[str, int | float]:
    """A number written in the language's syntax, and its value."""
    if draw(st.booleans()):
        n = draw(st.integers(min_value=-20, max_value=20))
        return str(n), n
    d = draw(st.decimals(min_value=-20, max_value=20, places=2, allow_nan=False))
    return format(d, "f"), float(format(d, "f"))


@FEW
@given(finite, number_literal(), st.sampled_from(sorted(OPS)))
def test_comparisons_with_number_literals(x: float, literal: tuple[str, float], op: str) -> None:
    text, value = literal
    assert run(f"x {op} {text}", {"x": x}) is OPS[op](x, value)
    assert run(f"{text} {op} x", {"x": x}) is OPS[op](value, x)


@FEW
@given(st.text(max_size=3), st.text(max_size=3), st.sampled_from(sorted(OPS)))
def test_string_comparisons_follow_python(s: str, t: str, op: str) -> None:
    assert run(f"s {op} {quote(t)}", {"s": s}) is OPS[op](s, t)
    assert run(f"s {op} t", {"s": s, "t": t}) is OPS[op](s, t)


@FEW
@given(
    st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b", "c"])),
    st.lists(st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b"])), max_size=4),
)
def test_in_and_not_in_follow_python(x: int | str, options: list[int | str]) -> None:
    written = ", ".join(quote(o) if isinstance(o, str) else str(o) for o in options)
    assert run(f"x in [{written}]", {"x": x}) is (x in options)
    assert run(f"x not in [{written}]", {"x": x}) is (x not in options)


# Random expressions over p, q (booleans) and x, y (numbers), any of them possibly unanswered. Each
# strategy yields the source, the test's own reference predicate, and the names used.
Case = tuple[str, Callable[[Mapping[str, object]], bool], frozenset[str]]


OP = st.sampled_from(sorted(OPS))
EQ = st.sampled_from(["==", "!="])


def compare_ref(op: str, a: object, b: object) -> bool:
    """Python's operator, except that null (None) makes every comparison false."""
    return a is not None and b is not None and OPS[op](a, b)


@st.composite
def leaf(draw: st.DrawFn) -> Case:
    shape = draw(st.integers(min_value=0, max_value=4))
    if shape == 0:  # a bare boolean item
        p = draw(st.sampled_from(["p", "q"]))
        return p, lambda a: bool(a.get(p)), frozenset({p})
    if shape == 1:  # number item against a literal
        x, op, (text, value) = draw(st.sampled_from(["x", "y"])), draw(OP), draw(number_literal())
        return f"{x} {op} {text}", lambda a: compare_ref(op, a.get(x), value), frozenset({x})
    if shape == 2:  # two number items
        op = draw(OP)
        return f"x {op} y", lambda a: compare_ref(op, a.get("x"), a.get("y")), frozenset("xy")
    if shape == 3:  # membership
        x, negated = draw(st.sampled_from(["x", "y"])), draw(st.booleans())
        options = draw(st.lists(st.integers(-3, 3), max_size=3))
        source = f"{x} {'not in' if negated else 'in'} [{', '.join(map(str, options))}]"

        def member(a: Mapping[str, object]) -> bool:
            v = a.get(x)
            return v is not None and ((v in options) != negated)

        return source, member, frozenset({x})
    p, op, literal = draw(st.sampled_from(["p", "q"])), draw(EQ), draw(st.booleans())
    text = "true" if literal else "false"
    return f"{p} {op} {text}", lambda a: compare_ref(op, a.get(p), literal), frozenset({p})


def combine(children: st.SearchStrategy[Case]) -> st.SearchStrategy[Case]:
    def negate(c: Case) -> Case:
        return f"not ({c[0]})", lambda a: not c[1](a), c[2]

    def both(pair: tuple[Case, Case]) -> Case:
        (s, f, n), (t, g, m) = pair
        return f"({s}) and ({t})", lambda a: f(a) and g(a), n | m

    def either(pair: tuple[Case, Case]) -> Case:
        (s, f, n), (t, g, m) = pair
        return f"({s}) or ({t})", lambda a: f(a) or g(a), n | m

    pairs = st.tuples(children, children)
    return st.one_of(children.map(negate), pairs.map(both), pairs.map(either))


expressions = st.recursive(leaf(), combine, max_leaves=8)
small_number = st.one_of(st.none(), st.integers(-3, 3), st.floats(-3, 3), st.just(2.5))
answer_sets = st.fixed_dictionaries(
    {
        "p": st.sampled_from([True, False, None]),
        "q": st.sampled_from([True, False, None]),
        "x": small_number,
        "y": small_number,
    }
).map(lambda d: {k: v for k, v in d.items() if v is not None or k in ("p", "x")})


@settings(max_examples=120, deadline=None)
@given(expressions, answer_sets)
def test_random_expressions_match_reference(case: Case, answers: dict[str, object]) -> None:
    source, reference, used = case
    expr = parse(source)
    assert evaluate(expr, answers) is reference(answers), source
    assert names(expr) == used


@st.composite
def flat_chain(draw: st.DrawFn) -> Case:
    """Terms joined by and/or, each perhaps behind "not", with no parentheses at all."""
    terms = draw(st.lists(st.tuples(st.booleans(), leaf()), min_size=1, max_size=6))
    joins = draw(st.lists(st.sampled_from(["and", "or"]), min_size=len(terms) - 1))
    source = ""
    for i, (negated, (text, _, _)) in enumerate(terms):
        source += ("not " if negated else "") + text
        if i < len(terms) - 1:
            source += f" {joins[i]} "

    def reference(a: Mapping[str, object]) -> bool:
        # not binds tighter than and, and tighter than or; comparisons tighter than not.
        values = [(not f(a)) if negated else f(a) for negated, (_, f, _) in terms]
        groups: list[list[bool]] = [[values[0]]]
        for join, value in zip(joins, values[1:], strict=False):
            if join == "or":
                groups.append([value])
            else:
                groups[-1].append(value)
        return any(all(group) for group in groups)

    return source, reference, frozenset().union(*(t[1][2] for t in terms))


@settings(max_examples=120, deadline=None)
@given(flat_chain(), answer_sets)
def test_precedence_without_parentheses(case: Case, answers: dict[str, object]) -> None:
    source, reference, _ = case
    assert run(source, answers) is reference(answers), source


def test_precedence_example_tree() -> None:
    def eq(key: str, n: int) -> Compare:
        return Compare("==", Name(key), Constant(n))

    expected = Or((And((Not(eq("a", 1)), eq("b", 2))), eq("c", 3)))
    assert parse("not a == 1 and b == 2 or c == 3") == expected
    assert parse("((not (a == 1)) and (b == 2)) or (c == 3)") == expected


@pytest.mark.parametrize(("a", "b", "c"), list(itertools.product([1, 2, 3, None], repeat=3)))
def test_precedence_example_values(a: int | None, b: int | None, c: int | None) -> None:
    def eq(v: int | None, n: int) -> bool:
        return v is not None and v == n

    answers = {"a": a, "b": b, "c": c}
    expected = ((not eq(a, 1)) and eq(b, 2)) or eq(c, 3)
    assert run("not a == 1 and b == 2 or c == 3", answers) is expected


# --------------------------------------------------------------------------------------------------
# Null, kinds, selected(), answered(), truthiness

NULL_IS_FALSE = [
    *[f"age {op} 18" for op in OPS],
    *[f"18 {op} age" for op in OPS],
    "age in [18, 'x']",
    "age not in [18, 'x']",
    "age not in []",
    "age == other",
    "age != other",
    "age == null",
    "age != null",
    "age == 'x'",
    "selected(age, '18')",
    "answered(age)",
    "age",
]


@pytest.mark.parametrize("source", NULL_IS_FALSE)
@pytest.mark.parametrize("answers", [{"other": 18}, {"age": None, "other": 18}])
def test_every_comparison_with_null_is_false(source: str, answers: dict[str, object]) -> None:
    assert run(source, answers) is False
    assert run(f"not ({source})", answers) is True


@pytest.mark.parametrize("source", ["age == null", "age != null", "null == null", "null != 1"])
def test_null_literal_is_null_too(source: str) -> None:
    assert run(source, {"age": 18}) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ([], False),
        (0, True),
        (0.0, True),
        (False, True),
        ("no", True),
        (["a"], True),
        ("  ", True),
    ],
)
def test_answered(value: object, expected: bool) -> None:
    assert run("answered(item)", {"item": value}) is expected
    assert run("answered(item)", {}) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        (False, False),
        (0, False),
        (0.0, False),
        ("", False),
        ([], False),
        (True, True),
        (-1, True),
        (0.5, True),
        ("no", True),
        (["a"], True),
    ],
)
def test_bare_name_truthiness(value: object, expected: bool) -> None:
    assert run("item", {"item": value}) is expected
    assert run("not item", {"item": value}) is (not expected)


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        # number against string: unequal, unordered, never an exception
        ("x == '1'", {"x": 1}, False),
        ("x != '1'", {"x": 1}, True),
        ("x < 'a'", {"x": 1}, False),
        ("x >= '1'", {"x": 1}, False),
        ("s > 1", {"s": "2"}, False),
        ("s != 2", {"s": "2"}, True),
        # int and float alike
        ("x == 2.0", {"x": 2}, True),
        ("x < 2.5", {"x": 2}, True),
        ("x in [2.0]", {"x": 2}, True),
        # strings compare as strings, not as numbers
        ("s < '10'", {"s": "9"}, False),
        ("s >= 'b'", {"s": "ba"}, True),
        # booleans are not numbers, and are not ordered
        ("p == 1", {"p": True}, False),
        ("p != 0", {"p": False}, True),
        ("p in [1]", {"p": True}, False),
        ("p > false", {"p": True}, False),
        ("p == true", {"p": True}, True),
        ("(x > 1) == true", {"x": 2}, True),
        ("(x > 1) != (y > 1)", {"x": 2, "y": 0}, True),
        # a multi answer is a list: not equal to one of its values
        ("m == 'a'", {"m": ["a"]}, False),
        ("m != 'a'", {"m": ["a"]}, True),
        ("m in ['a']", {"m": ["a"]}, False),
        ("m == n", {"m": ["a", "b"], "n": ["a", "b"]}, True),
        ("m == n", {"m": ["a", "b"], "n": ["b", "a"]}, False),
        ("m < n", {"m": ["a"], "n": ["b"]}, False),
    ],
)
def test_values_of_different_kinds(source: str, answers: dict[str, object], expected: bool) -> None:
    assert run(source, answers) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["a", "b"], True),
        (["b"], False),
        (["ab"], False),
        ([], False),
        ("a", True),
        ("ab", False),
        (None, False),
        (1, False),
        ([1, "a"], True),
        (("a",), True),
    ],
)
def test_selected(value: object, expected: bool) -> None:
    assert run("selected(m, 'a')", {"m": value}) is expected


# --------------------------------------------------------------------------------------------------
# names()


def test_names_include_function_arguments() -> None:
    expr = parse(
        "a == 1 and selected(m, 'x') or not answered(z) or b in [1] or (c < d) == true or e"
    )
    assert names(expr) == {"a", "m", "z", "b", "c", "d", "e"}
    assert names(parse("1 == 1")) == set()
    assert names(parse("'a' in ['a']")) == set()


# --------------------------------------------------------------------------------------------------
# Evaluation never raises, whatever the answers


class Hostile(str):
    """A str whose every operator fails, as a buggy caller's value might."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("hostile __eq__")

    def __lt__(self, other: object) -> bool:
        raise RuntimeError("hostile __lt__")

    def __hash__(self) -> int:
        return 0

    def __len__(self) -> int:
        raise RuntimeError("hostile __len__")


class HostileInt(int):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("hostile __eq__")

    def __hash__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        raise RuntimeError("hostile __bool__")


@dataclass
class Thing:
    value: int = 1


def self_containing_list() -> list[object]:
    loop: list[object] = ["a"]
    loop.append(loop)
    return loop


ODD_VALUES = [
    math.nan,
    math.inf,
    -math.inf,
    10**400,
    Decimal("2.5"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Fraction(10**400, 3),
    Fraction(1, 3),
    object(),
    Thing(),
    {"a": 1},
    {"a"},
    b"a",
    Hostile("a"),
    HostileInt(1),
    self_containing_list(),
    [Hostile("a"), HostileInt(1), None, [["a"]]],
]

json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=4),
        st.sampled_from(["a", "b", "x", ""]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=2), children, max_size=2)
    ),
    max_leaves=6,
)
any_answer = st.one_of(json_like, st.sampled_from(ODD_VALUES))

EVERY_KIND_OF_NODE = [
    "a",
    "not a",
    "a and b or m",
    *[f"a {op} b" for op in OPS],
    *[f"a {op} 1" for op in OPS],
    *[f"a {op} 2.5" for op in OPS],
    *[f"a {op} 'x'" for op in OPS],
    "a == true",
    "a == null",
    "a in [1, 'a', true, null, 2.5]",
    "m not in ['a', 1]",
    "selected(m, 'a')",
    "answered(m)",
    "(a == b) != (m < 1)",
    "1 < 2",
]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(EVERY_KIND_OF_NODE),
    st.dictionaries(st.sampled_from(["a", "b", "m", "zz"]), any_answer, max_size=4),
)
def test_evaluate_never_raises(source: str, answers: dict[str, object]) -> None:
    assert isinstance(run(source, answers), bool)


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: type(v).__name__)
def test_evaluate_never_raises_on_odd_values(value: object) -> None:
    for source in EVERY_KIND_OF_NODE:
        assert isinstance(run(source, {"a": value, "b": value, "m": value}), bool), source
        assert isinstance(run(source, {"a": value, "b": 1, "m": [value]}), bool), source


def test_decimal_and_fraction_answers_are_numbers() -> None:
    assert run("x >= 2.5", {"x": Decimal("2.5")}) is True
    assert run("x < 0.5", {"x": Fraction(1, 3)}) is True


# --------------------------------------------------------------------------------------------------
# Limits against hostile definitions


def test_length_limit() -> None:
    assert parse("a" * MAX_LENGTH) == Name("a" * MAX_LENGTH)
    error = parse_error("a" * (MAX_LENGTH + 1))
    assert error.position == MAX_LENGTH


def test_nesting_limit_for_parentheses() -> None:
    depth = MAX_DEPTH
    assert parse("(" * depth + "a" + ")" * depth) == Name("a")
    error = parse_error("(" * (depth + 1) + "a" + ")" * (depth + 1))
    assert error.position == depth
    assert "nested too deeply" in error.reason


def test_nesting_limit_for_not() -> None:
    assert run("not " * MAX_DEPTH + "a", {"a": True}) is (MAX_DEPTH % 2 == 0)
    error = parse_error("not " * (MAX_DEPTH + 1) + "a")
    assert error.position == 4 * MAX_DEPTH


def test_nesting_limit_counts_parentheses_and_not_together() -> None:
    half = MAX_DEPTH // 2
    assert parse("not (" * half + "a" + ")" * half) is not None
    error = parse_error("not (" * half + "not a" + ")" * half)
    assert error.position == 5 * half


@pytest.mark.parametrize(
    "source",
    ["(" * 1999 + "a", "not " * 499 + "a", "[" * 2000, "-" * 2000, "a in [" * 300, "(" * 5000],
)
def test_hostile_inputs_raise_invalid_expression_not_recursion_error(source: str) -> None:
    with pytest.raises(InvalidExpression):
        parse(source)


def stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_deepest_allowed_expression_evaluates_with_little_stack() -> None:
    # At each level an or, an and and a comparison: the most the evaluator can be asked to walk.
    source = "a"
    for _ in range(MAX_DEPTH):
        source = f"b or ({source}) == true and c"
    assert len(source) <= MAX_LENGTH
    expr = parse(source)
    reference = (
        True  # innermost a is true; then each level is b or (True == true and c) with c true
    )
    # Leave the evaluator 500 frames, half of Python's default limit, as if it were called from deep
    # inside a web framework.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(stack_depth() + 500)
    try:
        assert evaluate(expr, {"a": True, "c": True}) is reference
        assert evaluate(expr, {"a": False, "c": True}) is False
    finally:
        sys.setrecursionlimit(limit)


def test_long_flat_chain() -> None:
    source = " and ".join(["a"] * 400)
    source = source[: source.rindex(" and ", 0, MAX_LENGTH)]
    expr = parse(source)
    assert isinstance(expr, And)
    assert evaluate(expr, {"a": 1}) is True
    assert evaluate(expr, {"a": 0}) is False


# --------------------------------------------------------------------------------------------------
# compile_expression


def test_compile_expression_parses_once_and_agrees_with_evaluate() -> None:
    source = "x > 1 and selected(m, 'a')"
    predicate = compile_expression(source)
    assert compile_expression(source) is predicate
    for answers in ({"x": 2, "m": ["a"]}, {"x": 2, "m": ["b"]}, {"x": 1, "m": ["a"]}, {}):
        assert predicate(answers) is evaluate(parse(source), answers)


def test_compile_expression_raises_every_time_for_bad_source() -> None:
    for _ in range(2):
        with pytest.raises(InvalidExpression):
            compile_expression("a and")


# --------------------------------------------------------------------------------------------------
# Calculated values: arithmetic and the value functions


def value(source: str, answers: dict[str, object] | None = None) -> object:
    return calculate(parse(source), answers or {})


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-(10**6), max_value=10**6),
)
def test_arithmetic_follows_python_precedence(a: int, b: int, c: int) -> None:
    answers = {"a": a, "b": b, "c": c}
    assert value("a + b * c", answers) == a + b * c
    assert value("a - b - c", answers) == a - b - c
    assert value("(a - b) * -c", answers) == (a - b) * -c
    assert value("a -1", answers) == a - 1
    expected = None if c == 0 else a / c
    assert value("a / c", answers) == expected


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ("a + 1", {}, None),  # null in arithmetic gives null, as an empty field does in ODK
        ("a + 1", {"a": "3"}, 4),  # a choice value written as a number counts as that number
        ("a + 1", {"a": "yes"}, None),
        ("a + 1", {"a": True}, None),
        ("a / 0", {"a": 1}, None),
        ("a * a", {"a": 10**15}, float(10**30)),  # beyond 2**53 a result is a float
        ("if(a >= 18, 'adult', 'minor')", {"a": 18}, "adult"),
        ("if(a >= 18, 'adult', 'minor')", {}, "minor"),  # a comparison with null is false
        ("coalesce(a, b, 0)", {"b": 2}, 2),
        ("coalesce(a, b)", {"a": ""}, None),
        ("concat(a, '/', b)", {"a": 1.0, "b": ["x", "y"]}, "1/x y"),
        ("concat(a, '-')", {}, "-"),
        ("count_selected(m)", {"m": ["a", "b"]}, 2),
        ("count_selected(m)", {}, 0),
        ("count_selected(m) > 1", {"m": ["a", "b"]}, True),
        ("selected(m, 'a') and a > 2", {"m": ["a"], "a": 3}, True),
    ],
)
def test_calculated_values(source: str, answers: dict[str, object], expected: object) -> None:
    assert value(source, answers) == expected
    assert type(value(source, answers)) is type(expected)


def test_if_as_a_condition_is_its_branch_truth() -> None:
    assert evaluate(parse("if(a > 1, b == 'x', false)"), {"a": 2, "b": "x"}) is True
    assert evaluate(parse("if(a > 1, b == 'x', false)"), {"a": 0, "b": "x"}) is False


def test_names_include_calculation_operands() -> None:
    assert names(parse("if(a > 1, coalesce(b, -c), count_selected(m)) + d * e")) == {
        "a",
        "b",
        "c",
        "m",
        "d",
        "e",
    }


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        [
            "a + b",
            "a * -b / m",
            "if(a, b, m)",
            "coalesce(a, b, m)",
            "concat(a, b, m)",
            "count_selected(m)",
            "-(a - b)",
        ]
    ),
    st.dictionaries(st.sampled_from(["a", "b", "m"]), any_answer, max_size=3),
)
def test_calculate_never_raises(source: str, answers: dict[str, object]) -> None:
    result = value(source, answers)
    assert result is None or type(result) in (bool, int, float, str)
