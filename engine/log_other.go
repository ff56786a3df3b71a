//go:build !amd64 || purego

package engine

import "math"

// logs sets y[i] = math.Log(x[i]).
func logs(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = math.Log(v)
	}
}
