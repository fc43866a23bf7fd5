"""Scheme expressions ('tax / land_mu', "scale == 'above'") turned into Polars expressions.

Only arithmetic, comparisons, and/or/not, column names, literals and a few
functions are allowed: a scheme is data an administrator writes, not code.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

import polars as pl


class ExpressionError(ValueError):
    """An expression a scheme cannot use, said in Chinese."""


_BINARY: dict[type, Callable] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type, Callable] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FUNCTIONS: dict[str, Callable[..., pl.Expr]] = {
    "abs": lambda x: x.abs(),
    "log": lambda x: x.log(),
    "sqrt": lambda x: x.sqrt(),
    "min": lambda *xs: pl.min_horizontal(*xs),
    "max": lambda *xs: pl.max_horizontal(*xs),
    "coalesce": lambda *xs: pl.coalesce(*xs),
    "is_missing": lambda x: x.is_null() | x.is_nan(),
}


def compile_expression(text: str, columns: set[str] | None = None) -> pl.Expr:
    """A Polars expression for `text`; names not in `columns` (when given) are refused."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"表达式“{text}”无法解析：{exc.msg}") from None
    return _build(tree.body, text, columns)


def expression_fault(text: object) -> str | None:
    """Why `text` is not an expression a scheme may use (in Chinese), or None."""
    if not isinstance(text, str) or not text.strip():
        return f"表达式应为加引号的文字，实为 {text!r}"
    try:
        compile_expression(text)
    except ExpressionError as exc:
        return str(exc)
    return None


def ratio_parts(text: str) -> tuple[str, str] | None:
    """The numerator and denominator of 'a / b' (what a pooled average sums), or None for other forms."""
    tree = ast.parse(text.strip(), mode="eval").body
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div):
        return ast.unparse(tree.left), ast.unparse(tree.right)
    return None


def names_in(text: str) -> set[str]:
    """The column names an expression reads."""
    tree = ast.parse(text.strip(), mode="eval")
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    inner = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    return {
        _dotted(n)
        for n in ast.walk(tree)
        if isinstance(n, ast.Name | ast.Attribute) and id(n) not in called and id(n) not in inner
    }


def _dotted(node: ast.AST) -> str | None:
    """'tax_per_mu.normalized' names an output column of an earlier step."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _build(node: ast.AST, text: str, columns: set[str] | None) -> pl.Expr:
    build = lambda child: _build(child, text, columns)  # noqa: E731
    if isinstance(node, ast.Name | ast.Attribute):
        name = _dotted(node)
        if name is None:
            raise ExpressionError(f"表达式“{text}”包含不支持的写法")
        if columns is not None and name not in columns:
            raise ExpressionError(f"表达式“{text}”引用的列“{name}”不存在")
        return pl.col(name)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return pl.lit(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](build(node.left), build(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -build(node.operand)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ~build(node.operand)
    if isinstance(node, ast.BoolOp):
        parts = [build(v) for v in node.values]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if isinstance(node.op, ast.And) else combined | part
        return combined
    if isinstance(node, ast.Compare):
        left, result = build(node.left), None
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and isinstance(comparator, ast.List | ast.Tuple):
                values = [c.value for c in comparator.elts if isinstance(c, ast.Constant)]
                step = ~left.is_in(values) if isinstance(op, ast.NotIn) else left.is_in(values)
                result = step if result is None else result & step
                continue
            if type(op) not in _COMPARE:
                raise ExpressionError(f"表达式“{text}”使用了不支持的比较")
            right = build(comparator)
            step = _COMPARE[type(op)](left, right)
            result = step if result is None else result & step
            left = right
        return result
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        return _FUNCTIONS[node.func.id](*[build(a) for a in node.args])
    raise ExpressionError(f"表达式“{text}”包含不支持的写法：{ast.dump(node)[:40]}")
