package engine

import (
	"fmt"
	"math"
	"strconv"
)

// parseExpr compiles an expression in x to a closure tree: one Go closure
// per operator, constants folded, x^n for a small whole n as multiplies. A
// parser of our own (≈150 lines, standard library only) rather than
// expr-lang/expr: the engine stays dependency-free, the grammar is exactly
// the one the help names (no strings, maps or method calls to refuse), a
// closure tree is several times faster per call than a general VM over
// interface values, and the error can name the one bad character.
//
//	expr  = term { ("+"|"-") term }
//	term  = unary { ("*"|"/") unary }
//	unary = "-" unary | "+" unary | power
//	power = atom [ "^" unary ]            (right-associative: 2^3^2 = 2^9)
//	atom  = number | "x" | "pi" | "e" | func "(" expr ")" | "(" expr ")"
func parseExpr(s string) (func(float64) float64, error) {
	p := &exprParser{s: s}
	n, err := p.expr()
	if err == nil && p.skip() < len(s) {
		err = p.fail("want an operator (+ - * / ^) or the end")
	}
	if err != nil {
		return nil, err
	}
	return n.fn(), nil
}

// node is a parsed expression: a constant, or a closure of x.
type node struct {
	isConst bool
	c       float64
	f       func(float64) float64
}

func (n node) fn() func(float64) float64 {
	if n.isConst {
		c := n.c
		return func(float64) float64 { return c }
	}
	return n.f
}

var exprFuncs = map[string]func(float64) float64{
	"sin": math.Sin, "cos": math.Cos, "tan": math.Tan, "exp": math.Exp,
	"ln": math.Log, "log": math.Log, "sqrt": math.Sqrt, "abs": math.Abs, "tanh": math.Tanh,
}

type exprParser struct {
	s     string
	i     int
	depth int
}

// maxExprDepth bounds nesting, so "((((…" is an error, not a deep recursion.
const maxExprDepth = 50

func (p *exprParser) skip() int {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
	return p.i
}

// fail points at the character being read (1-based), or at the end.
func (p *exprParser) fail(want string) error {
	if p.i >= len(p.s) {
		return fmt.Errorf("expression ends after character %d: %s", len(p.s), want)
	}
	return fmt.Errorf("character %d %s: %s", p.i+1, strconv.QuoteRune(rune(p.s[p.i])), want)
}

func (p *exprParser) expr() (node, error) {
	l, err := p.term()
	for err == nil && p.skip() < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
		op := p.s[p.i]
		p.i++
		var r node
		if r, err = p.term(); err == nil {
			if op == '+' {
				l = binop(l, r, func(a, b float64) float64 { return a + b })
			} else {
				l = binop(l, r, func(a, b float64) float64 { return a - b })
			}
		}
	}
	return l, err
}

func (p *exprParser) term() (node, error) {
	l, err := p.unary()
	for err == nil && p.skip() < len(p.s) && (p.s[p.i] == '*' || p.s[p.i] == '/') {
		op := p.s[p.i]
		p.i++
		var r node
		if r, err = p.unary(); err == nil {
			if op == '*' {
				l = binop(l, r, func(a, b float64) float64 { return a * b })
			} else {
				l = binop(l, r, func(a, b float64) float64 { return a / b })
			}
		}
	}
	return l, err
}

func (p *exprParser) unary() (node, error) {
	if p.skip() < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
		neg := p.s[p.i] == '-'
		p.i++
		if p.depth++; p.depth > maxExprDepth {
			return node{}, p.fail("nested too deeply")
		}
		n, err := p.unary()
		p.depth--
		if neg {
			n = apply(n, func(a float64) float64 { return -a })
		}
		return n, err
	}
	return p.power()
}

func (p *exprParser) power() (node, error) {
	b, err := p.atom()
	if err != nil || p.skip() >= len(p.s) || p.s[p.i] != '^' {
		return b, err
	}
	p.i++
	if p.depth++; p.depth > maxExprDepth {
		return node{}, p.fail("nested too deeply")
	}
	e, err := p.unary()
	p.depth--
	if err != nil {
		return e, err
	}
	if e.isConst && !b.isConst && e.c == math.Trunc(e.c) && e.c >= 1 && e.c <= 4 {
		f := b.f
		switch e.c { // x*x is exact where math.Pow is within an ulp, and far cheaper
		case 1:
			return b, nil
		case 2:
			return node{f: func(x float64) float64 { v := f(x); return v * v }}, nil
		case 3:
			return node{f: func(x float64) float64 { v := f(x); return v * v * v }}, nil
		case 4:
			return node{f: func(x float64) float64 { v := f(x); v *= v; return v * v }}, nil
		}
	}
	return binop(b, e, math.Pow), nil
}

func (p *exprParser) atom() (node, error) {
	if p.skip() >= len(p.s) {
		return node{}, p.fail("want a number, x, pi, e, a function or (")
	}
	c := p.s[p.i]
	switch {
	case c == '(':
		p.i++
		if p.depth++; p.depth > maxExprDepth {
			return node{}, p.fail("nested too deeply")
		}
		n, err := p.expr()
		p.depth--
		if err != nil {
			return n, err
		}
		if p.skip() >= len(p.s) || p.s[p.i] != ')' {
			return n, p.fail("want )")
		}
		p.i++
		return n, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.') {
			p.i++
		}
		if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') { // 1e-3
			j := p.i + 1
			if j < len(p.s) && (p.s[j] == '-' || p.s[j] == '+') {
				j++
			}
			if j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
				for p.i = j; p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9'; p.i++ {
				}
			}
		}
		v, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil || math.IsInf(v, 0) {
			p.i = start
			return node{}, p.fail("not a number")
		}
		return node{isConst: true, c: v}, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z') {
			p.i++
		}
		switch w := p.s[start:p.i]; w {
		case "x":
			return node{f: func(x float64) float64 { return x }}, nil
		case "pi":
			return node{isConst: true, c: math.Pi}, nil
		case "e":
			return node{isConst: true, c: math.E}, nil
		default:
			fn, ok := exprFuncs[w]
			if !ok {
				p.i = start
				return node{}, p.fail(fmt.Sprintf("unknown name %q (want x, pi, e or one of sin cos tan exp ln log sqrt abs tanh)", w))
			}
			if p.skip() >= len(p.s) || p.s[p.i] != '(' {
				return node{}, p.fail("want ( after " + w)
			}
			arg, err := p.atom()
			return apply(arg, fn), err
		}
	}
	return node{}, p.fail("want a number, x, pi, e, a function or (")
}

func apply(a node, f func(float64) float64) node {
	if a.isConst {
		return node{isConst: true, c: f(a.c)}
	}
	g := a.f
	return node{f: func(x float64) float64 { return f(g(x)) }}
}

func binop(a, b node, op func(x, y float64) float64) node {
	switch {
	case a.isConst && b.isConst:
		return node{isConst: true, c: op(a.c, b.c)}
	case b.isConst:
		g, c := a.f, b.c
		return node{f: func(x float64) float64 { return op(g(x), c) }}
	case a.isConst:
		c, h := a.c, b.f
		return node{f: func(x float64) float64 { return op(c, h(x)) }}
	}
	g, h := a.f, b.f
	return node{f: func(x float64) float64 { return op(g(x), h(x)) }}
}
