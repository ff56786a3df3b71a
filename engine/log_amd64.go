//go:build amd64 && !purego

package engine

import "math"

//go:noescape
func logAVX(dst, src *float64, n int) bool

// logs sets y[i] = math.Log(x[i]), bit for bit, four at a time where it can.
func logs(y, x []float64) {
	y = y[:len(x)]
	n := len(x) &^ 3
	if !useAVX2 || n == 0 || !logAVX(&y[0], &x[0], n) {
		n = 0 // some x is not a positive normal number: every one the scalar way
	}
	for i := n; i < len(x); i++ {
		y[i] = math.Log(x[i])
	}
}
