package engine

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Lane is one lane of a race: its optimizer and learning rate.
type Lane struct {
	Optimizer string
	LR        float64
}

// Setup is everything a shared token carries: the full configuration (not
// just a preset's name, so a token keeps meaning the same run even if a
// preset changes), a label, and each race lane's optimizer and learning rate.
// A token restarts its setup from step 0: every lane starts from the same
// weights, including lanes that were added to a race later.
type Setup struct {
	Label  string // the preset it started from, for the header
	Config Config
	Lanes  []Lane // empty: a single run
}

// TokenPrefix starts every token; the digit is the format's version.
const TokenPrefix = "lnfit1-"

const maxTokenLen = 1024

// MaxLabelLen caps a token's label.
const MaxLabelLen = 64

// Token encodes a setup as one line that is safe in a shell, a URL or a chat:
// "lnfit1-" and the unpadded base64url of "key=value;…", one key per setting.
func (s Setup) Token() string {
	fields := []string{"p=" + s.Label}
	for _, st := range settings {
		if v := st.Get(s.Config); !st.OmitDefault || v != st.Optional {
			fields = append(fields, st.Token+"="+v)
		}
	}
	if len(s.Lanes) > 0 {
		lanes := make([]string, len(s.Lanes))
		for i, l := range s.Lanes {
			lanes[i] = l.Optimizer + ":" + fmtFloat(l.LR)
		}
		fields = append(fields, "lanes="+strings.Join(lanes, ","))
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
			return s, fmt.Errorf("config token is damaged: %s is not key=value", QuoteValue(kv))
		}
		if _, dup := seen[k]; dup {
			return s, fmt.Errorf("config token names %s twice", QuoteValue(k))
		}
		seen[k] = v
	}
	known := map[string]bool{"p": true, "lanes": true}
	for _, st := range settings {
		known[st.Token] = true
	}
	for k := range seen {
		if !known[k] {
			return s, fmt.Errorf("config token has an unknown field %s", QuoteValue(k))
		}
	}
	if _, ok := seen["p"]; !ok {
		return s, fmt.Errorf("config token lacks %q (its label)", "p")
	}
	var c Config
	for _, st := range settings {
		v, ok := seen[st.Token]
		if !ok && st.Optional != "" {
			v, ok = st.Optional, true // a token from before the setting existed
		}
		if !ok {
			return s, fmt.Errorf("config token lacks %q (%s)", st.Token, st.Name)
		}
		if err := st.Apply(&c, v); err != nil {
			return s, fmt.Errorf("config token: %v", err)
		}
	}
	if err := c.Validate(); err != nil {
		return s, fmt.Errorf("config token: %v", err)
	}
	s.Config, s.Label = c, seen["p"]
	if err := CheckText("the config token's label", s.Label, MaxLabelLen); err != nil {
		return s, fmt.Errorf("config token: %v", err)
	}
	if l, ok := seen["lanes"]; ok {
		lanes, err := ParseLanes(l, c)
		if err != nil {
			return s, fmt.Errorf("config token: %v", err)
		}
		s.Lanes = lanes
	}
	return s, nil
}

// ParseLanes reads "sgd,adam" or "sgd:0.01,adam:1e-4" into 2 to MaxLanes
// lanes. A lane without a learning rate takes c's when it runs c's optimizer,
// else its optimizer's default: what a race forked from c would give it.
func ParseLanes(s string, c Config) ([]Lane, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts) > MaxLanes {
		return nil, fmt.Errorf("lanes %s: want 2 to %d optimizers separated by commas, e.g. sgd,adam", QuoteValue(s), MaxLanes)
	}
	out := make([]Lane, len(parts))
	for i, p := range parts {
		name, lrText, hasLR := strings.Cut(strings.TrimSpace(p), ":")
		lane := Lane{Optimizer: name, LR: DefaultLR[name]}
		if name == c.Optimizer {
			lane.LR = c.LR
		}
		if err := CheckOptimizer(name); err != nil {
			return nil, fmt.Errorf("lanes: %v", err)
		}
		if hasLR {
			lr, err := strconv.ParseFloat(lrText, 64)
			if err != nil {
				return nil, fmt.Errorf("lanes: lane %c: %v", 'A'+i, &SettingError{Name: "lr", Value: lrText, Want: "a number > 0 and ≤ 1e6"})
			}
			if err := CheckLR(lr); err != nil {
				return nil, fmt.Errorf("lanes: lane %c: %v", 'A'+i, err)
			}
			lane.LR = lr
		}
		out[i] = lane
	}
	return out, nil
}

// LaneNames lists the lanes' optimizers.
func LaneNames(lanes []Lane) []string {
	out := make([]string, len(lanes))
	for i, l := range lanes {
		out[i] = l.Optimizer
	}
	return out
}
