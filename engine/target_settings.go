package engine

import (
	"fmt"
	"math"
	"strings"
)

// The target and domain settings' parsing and checks (their entries are in
// settings.go's table).

func setTarget(c *Config, v string) error {
	if c.Target = strings.TrimSpace(v); c.Target != TargetPoints {
		c.Points = nil // a function instead of the user's points
	}
	return nil
}

func checkTarget(c Config) error {
	if c.Target == TargetPoints {
		if c.Points == nil {
			return fmt.Errorf("the points come from a file: start with --points FILE.csv")
		}
		return nil
	}
	t, err := compileTarget(c.Target)
	if err != nil {
		return err
	}
	return t.checkOn(c.DomainLo, c.Hi())
}

// setDomain reads A:B; it also moves xmin to A (xmin narrows sampling
// inside the domain, and a later --xmin or x= in a token sets it again).
func setDomain(c *Config, v string) error {
	a, b, ok := strings.Cut(v, ":")
	lo, ok1 := parseFloat(a)
	hi, ok2 := parseFloat(b)
	if !ok || !ok1 || !ok2 {
		return fmt.Errorf("not A:B")
	}
	if !(lo < hi) { // checked here: a B of 0 is a Config's "unset" (Hi() reads it as 1), so 0:0 would pass as 0:1
		return fmt.Errorf("not A < B")
	}
	c.DomainLo, c.DomainHi, c.XMin = lo, hi, lo
	return nil
}

func checkDomain(c Config) error {
	lo, hi := c.DomainLo, c.Hi()
	if !(lo < hi && math.Abs(lo) <= maxDomainAbs && math.Abs(hi) <= maxDomainAbs && hi-lo >= 1e-6*math.Max(1, math.Abs(hi))) {
		return fmt.Errorf("out of range")
	}
	return nil
}
