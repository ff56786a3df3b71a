//go:build !amd64 || purego

package engine

func sgdUpdate(p, g []float64, lr float64) bool {
	sgdScalar(p, g, lr)
	return finite(p)
}

func momentumUpdate(p, g, v []float64, lr float64, nesterov bool) bool {
	momentumScalar(p, g, v, lr, nesterov)
	return finite(p)
}

func rmspropUpdate(p, g, s []float64, lr float64) bool {
	rmspropScalar(p, g, s, lr)
	return finite(p)
}

func adagradUpdate(p, g, s []float64, lr float64) bool {
	adagradScalar(p, g, s, lr)
	return finite(p)
}

func adamUpdate(p, g, m, v []float64, k *adamConsts) bool {
	adamScalar(p, g, m, v, k)
	return finite(p)
}
