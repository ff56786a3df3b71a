//go:build amd64 && !purego

package engine

// On amd64 with AVX, Adam's update runs four parameters at a time in
// adam_amd64.s. It performs the same IEEE operations in the same order as
// adamScalar (no fused multiply-add), so the two agree bit for bit —
// TestAdamKernelMatchesScalar checks it — and the scalar loop stays the
// reference, and the path on every other architecture (or with -tags purego).

var useAVX = hasAVX()

//go:noescape
func adamAVX(p, grad, m, v *float64, n int, k *adamConsts)

func hasAVX() bool

func adamUpdate(p, g, m, v []float64, k *adamConsts) {
	n := len(p)
	if !useAVX || n < 4 {
		adamScalar(p, g, m, v, k)
		return
	}
	g, m, v = g[:n], m[:n], v[:n]
	blocks := n &^ 3
	adamAVX(&p[0], &g[0], &m[0], &v[0], blocks, k)
	adamScalar(p[blocks:], g[blocks:], m[blocks:], v[blocks:], k)
}
