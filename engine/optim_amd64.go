//go:build amd64 && !purego

package engine

// On amd64 with AVX2 the optimizers' updates run four parameters at a time
// in optim_amd64.s, bit-identical to their scalar twins in optim.go; the
// last len%4 parameters take the scalar loop. With AVX-512F, Adam, RMSProp
// and Adagrad take eight at a time first (optim512_amd64.s). Each returns whether every
// parameter is finite after the update.

//go:noescape
func sgdAVX(p, grad *float64, n int, lr float64) bool

//go:noescape
func momentumAVX(p, grad, v *float64, n int, lr, mu float64, nesterov bool) bool

//go:noescape
func rmspropAVX(p, grad, sq *float64, n int, lr, rho, omrho, eps float64) bool

//go:noescape
func adagradAVX(p, grad, sq *float64, n int, lr, eps float64) bool

//go:noescape
func adamAVX(p, grad, m, v *float64, n int, k *adamConsts) bool

//go:noescape
func adamAVX512(p, grad, m, v *float64, n int, k *adamConsts) bool

//go:noescape
func rmspropAVX512(p, grad, sq *float64, n int, lr, rho, omrho, eps float64) bool

//go:noescape
func adagradAVX512(p, grad, sq *float64, n int, lr, eps float64) bool

func sgdUpdate(p, g []float64, lr float64) bool {
	n, g := len(p)&^3, g[:len(p)]
	if !useAVX2 || n == 0 {
		sgdScalar(p, g, lr)
		return finite(p)
	}
	ok := sgdAVX(&p[0], &g[0], n, lr)
	sgdScalar(p[n:], g[n:], lr)
	return ok && finite(p[n:])
}

func momentumUpdate(p, g, v []float64, lr float64, nesterov bool) bool {
	n, g, v := len(p)&^3, g[:len(p)], v[:len(p)]
	if !useAVX2 || n == 0 {
		momentumScalar(p, g, v, lr, nesterov)
		return finite(p)
	}
	ok := momentumAVX(&p[0], &g[0], &v[0], n, lr, MomentumMu, nesterov)
	momentumScalar(p[n:], g[n:], v[n:], lr, nesterov)
	return ok && finite(p[n:])
}

func rmspropUpdate(p, g, s []float64, lr float64) bool {
	n, g, s := len(p)&^3, g[:len(p)], s[:len(p)]
	if !useAVX2 || n == 0 {
		rmspropScalar(p, g, s, lr)
		return finite(p)
	}
	ok, n8 := true, 0
	if useAVX512 && n >= 8 {
		n8 = n &^ 7
		ok = rmspropAVX512(&p[0], &g[0], &s[0], n8, lr, RMSPropRho, 1-RMSPropRho, Epsilon)
	}
	if n > n8 {
		ok = rmspropAVX(&p[n8], &g[n8], &s[n8], n-n8, lr, RMSPropRho, 1-RMSPropRho, Epsilon) && ok
	}
	rmspropScalar(p[n:], g[n:], s[n:], lr)
	return ok && finite(p[n:])
}

func adagradUpdate(p, g, s []float64, lr float64) bool {
	n, g, s := len(p)&^3, g[:len(p)], s[:len(p)]
	if !useAVX2 || n == 0 {
		adagradScalar(p, g, s, lr)
		return finite(p)
	}
	ok, n8 := true, 0
	if useAVX512 && n >= 8 {
		n8 = n &^ 7
		ok = adagradAVX512(&p[0], &g[0], &s[0], n8, lr, AdagradEps)
	}
	if n > n8 {
		ok = adagradAVX(&p[n8], &g[n8], &s[n8], n-n8, lr, AdagradEps) && ok
	}
	adagradScalar(p[n:], g[n:], s[n:], lr)
	return ok && finite(p[n:])
}

func adamUpdate(p, g, m, v []float64, k *adamConsts) bool {
	n, g, m, v := len(p)&^3, g[:len(p)], m[:len(p)], v[:len(p)]
	if !useAVX2 || n == 0 {
		adamScalar(p, g, m, v, k)
		return finite(p)
	}
	ok, n8 := true, 0
	if useAVX512 && n >= 8 {
		n8 = n &^ 7
		ok = adamAVX512(&p[0], &g[0], &m[0], &v[0], n8, k)
	}
	if n > n8 {
		ok = adamAVX(&p[n8], &g[n8], &m[n8], &v[n8], n-n8, k) && ok
	}
	adamScalar(p[n:], g[n:], m[n:], v[n:], k)
	return ok && finite(p[n:])
}
