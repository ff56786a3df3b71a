package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Setting is one knob of a run, declared once. Flags (--NAME), the lesson
// command `set NAME VALUE`, config tokens (Token=VALUE), the JSON summary
// (JSON), --help, --list-presets and the dashboard's header all read this
// table, so adding a setting is one entry here plus its effect on training.
type Setting struct {
	Name    string // flag, lesson `set` key and the word used in messages
	Token   string // key in a config token (short: tokens are pasted)
	JSON    string // key in the --json summary
	Want    string // what is allowed, in words; every error ends with it
	Help    string // one line for --help
	PerLane bool   // each lane of a race has its own (optimizer, lr)
	// Restarts: changing it re-initializes the network from step 0 (same
	// seed), because the old weights do not fit or would not be a fair start.
	Restarts bool
	// Column: --list-presets gives it a column (the rest go under OTHER when
	// they differ from the question's value).
	Column bool
	// Optional: a token or saved file from before the setting existed may
	// lack it; this is the value it then means.
	Optional string
	// Choices: the words a choice-valued setting takes (nil for numbers), so
	// a near miss can be suggested in its error.
	Choices []string
	// OmitDefault: a token leaves it out when it is Optional's value, so a
	// run that does not use it has the same token as before it existed.
	OmitDefault bool
	// Explain: its errors say what set or check found (where an expression
	// breaks) instead of repeating Want.
	Explain bool

	get   func(Config) string
	set   func(*Config, string) error // parse only: syntax errors
	check func(Config) error          // the only place the value's range is checked
	json  func(Config) any
}

// SettingError says which setting got which value and what is allowed.
// Callers add where it came from: "--lr", "set lr", "config token".
type SettingError struct {
	Name, Value, Want string
	Suggest           string // a near miss among the choices, or ""
	Why               string // what exactly is wrong, for a value too rich for Want alone (an expression)
}

func (e *SettingError) Error() string {
	if e.Why != "" {
		return fmt.Sprintf("%s %s: %s", e.Name, QuoteValue(e.Value), e.Why)
	}
	msg := fmt.Sprintf("%s %s: want %s", e.Name, QuoteValue(e.Value), e.Want)
	if e.Suggest != "" {
		msg += "; did you mean " + e.Suggest + "?"
	}
	return msg
}

// QuoteValue writes a user's value for an error message: as it is when it
// is a plain word or number, quoted (and escaped) otherwise, and cut to 60
// characters so a huge value never floods a terminal.
func QuoteValue(v string) string {
	const maxShown = 60
	cut := false
	if len(v) > maxShown {
		v, cut = v[:maxShown], true
		for !utf8ValidEnd(v) {
			v = v[:len(v)-1]
		}
	}
	plain := v != ""
	for _, r := range v {
		if !(r == '.' || r == '-' || r == '+' || r == ',' || r == '_' || r == ':' || r == '/' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			plain = false
			break
		}
	}
	if !plain {
		v = strconv.QuoteToASCII(v)
	}
	if cut {
		v += "…"
	}
	return v
}

func utf8ValidEnd(s string) bool {
	if s == "" {
		return true
	}
	// A string cut inside a multi-byte rune ends in a continuation byte whose
	// lead byte promised more.
	for i := len(s) - 1; i >= 0 && i >= len(s)-4; i-- {
		c := s[i]
		if c < 0x80 {
			return true
		}
		if c >= 0xC0 {
			need := 2
			if c >= 0xE0 {
				need = 3
			}
			if c >= 0xF0 {
				need = 4
			}
			return len(s)-i >= need
		}
	}
	return true
}

// ParseWhole reads a whole number written either way a person writes one:
// "10000" or "1e4" (as --lr reads 1e-4). A fraction, NaN, ±Inf, a hex
// float, or a number beyond ±2^62 is refused, so the result always fits.
func ParseWhole(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, ok := parseFloat(s)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<62 || s != strings.TrimSpace(s) {
		return 0, false
	}
	return int64(f), true
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// parseFloat accepts only finite decimal numbers: "NaN", "Inf" and hex
// floats are not what anyone means by a learning rate.
func parseFloat(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP") {
		return 0, false
	}
	return v, true
}

var settings = []*Setting{
	{
		Name: "optimizer", Token: "o", JSON: "optimizer", PerLane: true, Column: true, Choices: Optimizers,
		Want: "one of " + strings.Join(Optimizers, ", "), Help: "optimizer (o in the dashboard)",
		get: func(c Config) string { return c.Optimizer },
		set: func(c *Config, v string) error { c.Optimizer = v; return nil },
		check: func(c Config) error {
			for _, n := range Optimizers {
				if n == c.Optimizer {
					return nil
				}
			}
			return fmt.Errorf("unknown")
		},
		json: func(c Config) any { return c.Optimizer },
	},
	{
		Name: "lr", Token: "lr", JSON: "lr", PerLane: true, Column: true,
		Want: "a number > 0 and ≤ 1e6", Help: "learning rate (each optimizer keeps its own)",
		get: func(c Config) string { return fmtFloat(c.LR) },
		set: func(c *Config, v string) error {
			f, ok := parseFloat(v)
			if !ok {
				return fmt.Errorf("not a number")
			}
			c.LR = f
			return nil
		},
		check: func(c Config) error {
			if !(c.LR > 0 && c.LR <= 1e6) {
				return fmt.Errorf("out of range")
			}
			return nil
		},
		json: func(c Config) any { return c.LR },
	},
	{
		Name: "init", Token: "i", JSON: "init", Restarts: true, Column: true, Choices: Inits,
		Want: "one of " + strings.Join(Inits, ", "), Help: "initializer (i in the dashboard)",
		get: func(c Config) string { return c.Init },
		set: func(c *Config, v string) error { c.Init = v; return nil },
		check: func(c Config) error {
			for _, n := range Inits {
				if n == c.Init {
					return nil
				}
			}
			return fmt.Errorf("unknown")
		},
		json: func(c Config) any { return c.Init },
	},
	{
		Name: "activation", Token: "a", JSON: "activation", Restarts: true, Choices: activationNames[:],
		Want: "one of " + strings.Join(activationNames[:], ", "), Help: "hidden activation (a in the dashboard)",
		get: func(c Config) string { return c.Activation },
		set: func(c *Config, v string) error { c.Activation = v; return nil },
		check: func(c Config) error {
			for _, n := range activationNames {
				if n == c.Activation {
					return nil
				}
			}
			return fmt.Errorf("unknown")
		},
		json: func(c Config) any { return c.Activation },
	},
	{
		Name: "batch", Token: "b", JSON: "batch", Column: true,
		Want: fmt.Sprintf("a whole number from 1 to %s", Commas(MaxBatch)), Help: "batch size",
		get: func(c Config) string { return strconv.Itoa(c.Batch) },
		set: func(c *Config, v string) error {
			n, ok := ParseWhole(strings.TrimSpace(v))
			if !ok || n > math.MaxInt32 {
				return fmt.Errorf("not a whole number")
			}
			c.Batch = int(n)
			return nil
		},
		check: func(c Config) error {
			if c.Batch < 1 || c.Batch > MaxBatch {
				return fmt.Errorf("out of range")
			}
			return nil
		},
		json: func(c Config) any { return c.Batch },
	},
	{
		Name: "hidden", Token: "h", JSON: "hidden", Restarts: true,
		Want: fmt.Sprintf("1 to %d comma-separated layer sizes from 1 to %d, e.g. 50,10", MaxLayers, MaxHidden),
		Help: "hidden layer sizes",
		get:  func(c Config) string { return HiddenString(c.Hidden) },
		set: func(c *Config, v string) error {
			parts := strings.Split(v, ",")
			if len(parts) > MaxLayers {
				return fmt.Errorf("too many")
			}
			h := make([]int, 0, len(parts))
			for _, p := range parts {
				n, err := strconv.Atoi(strings.TrimSpace(p))
				if err != nil {
					return err
				}
				h = append(h, n)
			}
			c.Hidden = h
			return nil
		},
		check: func(c Config) error {
			if len(c.Hidden) == 0 || len(c.Hidden) > MaxLayers {
				return fmt.Errorf("layers")
			}
			for _, h := range c.Hidden {
				if h < 1 || h > MaxHidden {
					return fmt.Errorf("size")
				}
			}
			return nil
		},
		json: func(c Config) any { return append([]int{}, c.Hidden...) },
	},
	{
		// Before xmin: a token or the flags set the domain, then xmin inside it.
		Name: "domain", Token: "dom", JSON: "domain", Restarts: true, Optional: "0:1", OmitDefault: true,
		Want:  fmt.Sprintf("A:B with A < B, both within ±%g, e.g. -1:1 (open at A, closed at B)", maxDomainAbs),
		Help:  "the target's domain (A, B]: sampling (from A, or from xmin), the grid and the plots; sets xmin to A",
		get:   func(c Config) string { return fmtFloat(c.DomainLo) + ":" + fmtFloat(c.Hi()) },
		set:   setDomain,
		check: checkDomain,
		json:  func(c Config) any { return []float64{c.DomainLo, c.Hi()} },
	},
	{
		Name: "xmin", Token: "x", JSON: "xmin", Restarts: true,
		Want: "a number with 0 ≤ xmin < 1 (on a domain (A, B]: A ≤ xmin < B)", Help: "sample x from (xmin, B]",
		get: func(c Config) string { return fmtFloat(c.XMin) },
		set: func(c *Config, v string) error {
			f, ok := parseFloat(v)
			if !ok {
				return fmt.Errorf("not a number")
			}
			c.XMin = f
			return nil
		},
		check: func(c Config) error {
			if !(c.XMin >= c.DomainLo && c.XMin < c.Hi()) {
				return fmt.Errorf("out of range")
			}
			return nil
		},
		json: func(c Config) any { return c.XMin },
	},
	{
		Name: "target", Token: "t", JSON: "target", Restarts: true, Optional: TargetLn, OmitDefault: true, Explain: true,
		Want: targetWant, Help: "the function to fit (default ln)",
		get:   func(c Config) string { return targetName(c.Target) },
		set:   setTarget,
		check: checkTarget,
		json:  func(c Config) any { return targetName(c.Target) },
	},
	{
		Name: "data", Token: "d", JSON: "data", Restarts: true, Choices: []string{DataSample, DataGrid},
		Want: "sample (a fresh batch each step) or grid (the fixed 1000-point full batch)", Help: "training data",
		get: func(c Config) string { return c.Data },
		set: func(c *Config, v string) error { c.Data = v; return nil },
		check: func(c Config) error {
			if c.Data != DataSample && c.Data != DataGrid {
				return fmt.Errorf("unknown")
			}
			return nil
		},
		json: func(c Config) any { return c.Data },
	},
	{
		Name: "dropout", Token: "do", JSON: "dropout",
		Want: "a number with 0 ≤ dropout < 1", Help: "dropout rate on hidden units",
		get: func(c Config) string { return fmtFloat(c.Dropout) },
		set: func(c *Config, v string) error {
			f, ok := parseFloat(v)
			if !ok {
				return fmt.Errorf("not a number")
			}
			c.Dropout = f
			return nil
		},
		check: func(c Config) error {
			if !(c.Dropout >= 0 && c.Dropout < 1) {
				return fmt.Errorf("out of range")
			}
			return nil
		},
		json: func(c Config) any { return c.Dropout },
	},
	{
		Name: "init-scale", Token: "is", JSON: "init_scale", Restarts: true, Optional: "1",
		Want: "a number > 0 and ≤ 100", Help: "multiplies every initial weight and bias (the question's U[0,1) becomes U[0,S))",
		get: func(c Config) string { return fmtFloat(c.InitScale) },
		set: func(c *Config, v string) error {
			f, ok := parseFloat(v)
			if !ok {
				return fmt.Errorf("not a number")
			}
			c.InitScale = f
			return nil
		},
		check: func(c Config) error {
			if !(c.InitScale > 0 && c.InitScale <= 100) {
				return fmt.Errorf("out of range")
			}
			return nil
		},
		json: func(c Config) any { return c.InitScale },
	},
	{
		Name: "seed", Token: "s", JSON: "seed", Restarts: true,
		Want: "a whole number from 0 to 18446744073709551615", Help: "seed of the initial weights and of the batches",
		get: func(c Config) string { return strconv.FormatUint(c.Seed, 10) },
		set: func(c *Config, v string) error {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			if err != nil { // 1e3 as well, as ParseWhole reads it
				w, ok := ParseWhole(strings.TrimSpace(v))
				if !ok || w < 0 {
					return err
				}
				n = uint64(w)
			}
			c.Seed = n
			return nil
		},
		check: func(Config) error { return nil },
		json:  func(c Config) any { return c.Seed },
	},
}

// Settings lists every setting in the order flags, tokens and headers use.
func Settings() []*Setting { return settings }

// LookupSetting finds a setting by name.
func LookupSetting(name string) (*Setting, bool) {
	for _, s := range settings {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// SettingNames lists the names, for "unknown setting" errors.
func SettingNames() []string {
	out := make([]string, len(settings))
	for i, s := range settings {
		out[i] = s.Name
	}
	return out
}

// Get writes the setting's value in c the way Parse reads it.
func (s *Setting) Get(c Config) string { return s.get(c) }

// JSONValue is the value as the --json summary writes it.
func (s *Setting) JSONValue(c Config) any { return s.json(c) }

// Check validates the setting's value in c.
func (s *Setting) Check(c Config) error {
	if err := s.check(c); err != nil {
		return s.fail(s.get(c), err)
	}
	return nil
}

func (s *Setting) fail(value string, why error) error {
	e := &SettingError{Name: s.Name, Value: value, Want: s.Want, Suggest: NearMiss(value, s.Choices)}
	if s.Explain {
		e.Why = why.Error()
	}
	return e
}

// Apply parses value into c and validates it; c is unchanged on error.
func (s *Setting) Apply(c *Config, value string) error {
	next := c.Clone()
	err := s.set(&next, value)
	if err == nil {
		err = s.check(next)
	}
	if err != nil {
		return s.fail(value, err)
	}
	*c = next
	return nil
}
