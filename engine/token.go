package engine

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Setup is everything a shared token carries: the full configuration (not
// just a preset's name, so a token keeps meaning the same run even if a
// preset changes), a label, and the optimizers of a race's lanes.
type Setup struct {
	Label  string // the preset it started from, for the header
	Config Config
	Lanes  []string // empty: a single run
}

// TokenPrefix starts every token; the digit is the format's version.
const TokenPrefix = "lnfit1-"

const maxTokenLen = 1024

// Token encodes a setup as one line that is safe in a shell, a URL or a chat:
// "lnfit1-" and the unpadded base64url of "key=value;…".
func (s Setup) Token() string {
	c := s.Config
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	fields := []string{
		"p=" + s.Label, "o=" + c.Optimizer, "lr=" + f(c.LR), "i=" + c.Init, "a=" + c.Activation,
		"b=" + strconv.Itoa(c.Batch), "h=" + HiddenString(c.Hidden), "x=" + f(c.XMin),
		"d=" + c.Data, "do=" + f(c.Dropout), "s=" + strconv.FormatUint(c.Seed, 10),
	}
	if len(s.Lanes) > 0 {
		fields = append(fields, "lanes="+strings.Join(s.Lanes, ","))
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(strings.Join(fields, ";")))
}

// MaxLanes is the most lanes a race has.
const MaxLanes = 4

// ParseToken decodes a token and checks every field, saying exactly what is wrong.
func ParseToken(tok string) (Setup, error) {
	var s Setup
	if len(tok) > 4*maxTokenLen {
		return s, fmt.Errorf("config token is %d characters long; tokens are at most %d", len(tok), maxTokenLen)
	}
	// Tokens hold no white space, so a token copied from a wrapped line is
	// joined back whole.
	tok = strings.Join(strings.Fields(tok), "")
	if len(tok) > maxTokenLen {
		return s, fmt.Errorf("config token is %d characters long; tokens are at most %d", len(tok), maxTokenLen)
	}
	body, ok := strings.CutPrefix(tok, TokenPrefix)
	if !ok {
		return s, fmt.Errorf("config token must start with %q", TokenPrefix)
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return s, fmt.Errorf("config token is damaged (not base64url: %v)", err)
	}
	seen := map[string]string{}
	for _, kv := range strings.Split(string(raw), ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return s, fmt.Errorf("config token is damaged: %q is not key=value", kv)
		}
		if _, dup := seen[k]; dup {
			return s, fmt.Errorf("config token names %q twice", k)
		}
		seen[k] = v
	}
	need := []string{"p", "o", "lr", "i", "a", "b", "h", "x", "d", "do", "s"}
	for _, k := range need {
		if _, ok := seen[k]; !ok {
			return s, fmt.Errorf("config token lacks %q", k)
		}
	}
	for k := range seen {
		if !contains(need, k) && k != "lanes" {
			return s, fmt.Errorf("config token has an unknown field %q", k)
		}
	}
	num := func(k string) (float64, error) {
		v, err := strconv.ParseFloat(seen[k], 64)
		if err != nil {
			return 0, fmt.Errorf("config token: %s=%q is not a number", k, seen[k])
		}
		return v, nil
	}
	c := Config{Optimizer: seen["o"], Init: seen["i"], Activation: seen["a"], Data: seen["d"]}
	if c.LR, err = num("lr"); err != nil {
		return s, err
	}
	if c.XMin, err = num("x"); err != nil {
		return s, err
	}
	if c.Dropout, err = num("do"); err != nil {
		return s, err
	}
	if c.Batch, err = strconv.Atoi(seen["b"]); err != nil {
		return s, fmt.Errorf("config token: b=%q is not a batch size", seen["b"])
	}
	if c.Seed, err = strconv.ParseUint(seen["s"], 10, 64); err != nil {
		return s, fmt.Errorf("config token: s=%q is not a seed", seen["s"])
	}
	if c.Hidden, err = ParseHidden(seen["h"]); err != nil {
		return s, fmt.Errorf("config token: %v", err)
	}
	if err := c.Validate(); err != nil {
		return s, fmt.Errorf("config token: %v", err)
	}
	s.Config, s.Label = c, seen["p"]
	if strings.ContainsAny(s.Label, "\x1b\n\r\t") || len(s.Label) > 64 {
		return s, fmt.Errorf("config token: the label %q is not a preset name", s.Label)
	}
	if l, ok := seen["lanes"]; ok {
		lanes, err := ParseLanes(l)
		if err != nil {
			return s, fmt.Errorf("config token: %v", err)
		}
		s.Lanes = lanes
	}
	return s, nil
}

// ParseLanes reads "sgd,adam" into 2 to MaxLanes optimizer names.
func ParseLanes(s string) ([]string, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts) > MaxLanes {
		return nil, fmt.Errorf("lanes %q: want 2 to %d optimizers separated by commas, e.g. sgd,adam", s, MaxLanes)
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if err := CheckOptimizer(parts[i]); err != nil {
			return nil, fmt.Errorf("lanes: %v", err)
		}
	}
	return parts, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
