//go:build !amd64 || purego

package engine

func lineTable(f *fastBlock, w1, b1, W2 []float64) { lineTableGo(f, w1, b1, W2) }

func fusedSamples(f *fastBlock, x, y []float64, b3, scale float64) (sse, gb3 float64) {
	return fusedGo(f, x, y, b3, scale)
}

func backFromQ(f *fastBlock, w1, b1, W2, gw1, gb1, gW2 []float64) {
	backGo(f, w1, b1, W2, gw1, gb1, gW2)
}

func transpose(dst, src []float64, rows, cols, sstride, dstride int, add bool) {
	transposeGo(dst, src, 0, rows, 0, cols, sstride, dstride, add)
}
