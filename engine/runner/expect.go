package runner

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"lnfit/engine"
)

// A lesson's expect lines state what must hold for the caption after them
// (lesson.go parses the line, caption.go shows the caption). The language
// is until's, widened: a status (collapsed, converged …) and comparisons of
// any numeric caption figure (step>=N, mse_above_0_01<V, dead.1=all).

// Expect is one condition a caption needs: a lane's status, or a figure
// compared with a number.
type Expect struct {
	Text   string // as written, for messages
	Status string // a status name (engine.Status), or "" for a comparison
	Not    bool   // "not STATUS"
	ref    figRef // the status's lane, or the compared figure
	op     string // <, <=, >, >=, =
	limit  float64
	all    bool // FIGURE=all: a per-layer count equals the layer's units
}

// statusNames are the words expect takes: every engine.Status's name, up to
// the first that has none, so a status the verdict engine gains (diverging
// came after diverged) is a word at once.
var statusNames = func() []string {
	var out []string
	for s := engine.StatusUntrained; s.String() != "unknown"; s++ {
		out = append(out, s.String())
	}
	return out
}()

// parseCondition reads STATUS[.X], not STATUS[.X], or FIGURE OP NUMBER.
func parseCondition(s string) (Expect, error) {
	e := Expect{Text: s}
	if rest, ok := strings.CutPrefix(s, "not "); ok {
		e.Not, s = true, strings.TrimSpace(rest)
	}
	if i := strings.IndexAny(s, "<>="); i >= 0 && !e.Not {
		op := s[i : i+1]
		if strings.HasPrefix(s[i+1:], "=") && op != "=" {
			op += "="
		}
		ref, err := parseFigure(strings.TrimSpace(s[:i]))
		if err != nil {
			return e, err
		}
		if ref.name == "mse" { // until's mse<V is on x ≥ 0.01; a copied line must not quietly mean the grid
			return e, fmt.Errorf("%s: until's mse<V is on x ≥ 0.01; here write mse_above_0_01%s… (or {mse} in a caption for all of (0,1])",
				engine.QuoteValue(s), op)
		}
		if ref.fig.value == nil {
			return e, fmt.Errorf("%s is a word, not a number to compare", ref.name)
		}
		num := strings.TrimSpace(s[i+len(op):])
		if num == "all" && op == "=" && ref.fig.count {
			e.ref, e.op, e.all = ref, op, true
			return e, nil
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsNaN(v) {
			return e, fmt.Errorf("%s: want a number after %s", engine.QuoteValue(s), op)
		}
		e.ref, e.op, e.limit = ref, op, v
		return e, nil
	}
	name, _, _ := strings.Cut(s, ".")
	for _, st := range statusNames {
		if name == st {
			e.Status = st
		}
	}
	if e.Status == "" {
		return e, fmt.Errorf("unknown condition %s (want a status — %s — optionally not and a lane as .B, or FIGURE<V, >V, <=V, >=V, =V)",
			engine.QuoteValue(s), strings.Join(statusNames, ", "))
	}
	ref, err := parseFigure("status" + strings.TrimPrefix(s, name))
	if err != nil {
		return e, fmt.Errorf("%s: %v", engine.QuoteValue(s), err)
	}
	e.ref = ref
	return e, nil
}

// holds evaluates the condition, and says what is true instead when it is not.
func (vs views) holds(e Expect) (bool, string, error) {
	v, err := vs.get(e.ref)
	if err != nil {
		return false, "", err
	}
	lane := ""
	if len(vs) > 1 {
		lane = fmt.Sprintf("lane %c: ", 'A'+e.ref.lane)
	}
	if e.Status != "" {
		d := v.diagnosis()
		ok := (d.Status.String() == e.Status) != e.Not
		return ok, fmt.Sprintf("%s%s", lane, d.Text), nil
	}
	x := e.ref.fig.value(v, e.ref.layer)
	var ok bool
	switch e.op {
	case "<":
		ok = x < e.limit
	case "<=":
		ok = x <= e.limit
	case ">":
		ok = x > e.limit
	case ">=":
		ok = x >= e.limit
	case "=":
		ok = x == e.limit
		if e.all {
			ok = x == float64(v.m().Units[e.ref.layer])
		}
	}
	t, _ := vs.text(e.ref)
	return ok, fmt.Sprintf("%s%s is %s; %s", lane, e.ref.name, t, v.diagnosis().Text), nil
}
