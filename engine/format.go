package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatValue writes a metric for people: 4 decimals in the everyday range,
// scientific notation for tiny or huge values, and NaN/±Inf by name.
func FormatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v != 0 && (math.Abs(v) < 1e-3 || math.Abs(v) >= 1e5):
		return fmt.Sprintf("%.2e", v)
	}
	return fmt.Sprintf("%.4f", v)
}

// FormatLR writes a learning rate for people: its shortest exact form
// (0.01, 5e-06, 0.0003) where that is short, as every rung of the ladder
// and every rate typed as a decimal is; else (a rate computed somewhere,
// 0.30000000000000004) six significant digits. Tokens and files keep the
// exact value (strconv's 'g', -1).
func FormatLR(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	mant, _, _ := strings.Cut(strings.TrimLeft(s, "-"), "e")
	if digits := len(strings.TrimLeft(strings.ReplaceAll(mant, ".", ""), "0")); digits > 10 {
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	return s
}

// Commas writes 12345 as "12,345". It handles every int64, the most
// negative included (whose negation does not fit in an int64).
func Commas(n int64) string {
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}
