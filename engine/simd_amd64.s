//go:build amd64 && !purego

#include "textflag.h"

// Which vector path this CPU can run (simdLevel in fast_amd64.go), and the
// transpose the fast path's kernels need their weights in.

// func hasAVX2() bool: CPUID.1:ECX has OSXSAVE (27) and AVX (28), the OS
// saves the YMM state (XCR0 bits 1 and 2), and CPUID.7.0:EBX has AVX2 (5).
TEXT ·hasAVX2(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18000000, CX
	CMPL CX, $0x18000000
	JNE  no
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x20, BX
	JZ   no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET

// func hasAVX512() bool: AVX-512F (CPUID.7.0:EBX bit 16) and the OS saves
// the opmask and ZMM state (XCR0 bits 5, 6, 7, with 1 and 2).
TEXT ·hasAVX512(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18000000, CX
	CMPL CX, $0x18000000
	JNE  no512
	XORL CX, CX
	XGETBV
	ANDL $0xE6, AX
	CMPL AX, $0xE6
	JNE  no512
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x10000, BX
	JZ   no512
	MOVB $1, ret+0(FP)
	RET
no512:
	MOVB $0, ret+0(FP)
	RET

// func transposeAVX(dst, src *float64, rows, cols, sstride, dstride int, add bool)
// For r < rows, c < cols in whole 4×4 blocks (rows, cols multiples of 4):
//   dst[c·dstride + r] = src[r·sstride + c]     (or += with add)
// Each block: 4 row loads, unpack and 128-bit permutes, 4 column stores.
TEXT ·transposeAVX(SB), NOSPLIT, $0-49
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ sstride+32(FP), R8
	SHLQ $3, R8           // source row bytes
	MOVQ dstride+40(FP), R9
	SHLQ $3, R9           // destination row bytes
	MOVBLZX add+48(FP), R12
	XORQ BX, BX           // r
rowBlock:
	CMPQ BX, rows+16(FP)
	JGE  tdone
	XORQ CX, CX           // c
colBlock:
	CMPQ CX, cols+24(FP)
	JGE  nextRowBlock
	MOVQ BX, AX
	IMULQ R8, AX
	LEAQ (SI)(AX*1), AX
	LEAQ (AX)(CX*8), AX   // &src[r·sstride + c]
	VMOVUPD (AX), Y0
	ADDQ R8, AX
	VMOVUPD (AX), Y1
	ADDQ R8, AX
	VMOVUPD (AX), Y2
	ADDQ R8, AX
	VMOVUPD (AX), Y3
	VUNPCKLPD Y1, Y0, Y4  // a0[0] a1[0] a0[2] a1[2]
	VUNPCKHPD Y1, Y0, Y5  // a0[1] a1[1] a0[3] a1[3]
	VUNPCKLPD Y3, Y2, Y6
	VUNPCKHPD Y3, Y2, Y7
	VPERM2F128 $0x20, Y6, Y4, Y0 // column c
	VPERM2F128 $0x20, Y7, Y5, Y1 // column c+1
	VPERM2F128 $0x31, Y6, Y4, Y2 // column c+2
	VPERM2F128 $0x31, Y7, Y5, Y3 // column c+3
	MOVQ CX, AX
	IMULQ R9, AX
	LEAQ (DI)(AX*1), AX
	LEAQ (AX)(BX*8), AX   // &dst[c·dstride + r]
	LEAQ (AX)(R9*1), DX
	TESTQ R12, R12
	JZ   store
	VADDPD (AX), Y0, Y0
	VADDPD (DX), Y1, Y1
store:
	VMOVUPD Y0, (AX)
	VMOVUPD Y1, (DX)
	LEAQ (DX)(R9*1), AX
	LEAQ (AX)(R9*1), DX
	TESTQ R12, R12
	JZ   store2
	VADDPD (AX), Y2, Y2
	VADDPD (DX), Y3, Y3
store2:
	VMOVUPD Y2, (AX)
	VMOVUPD Y3, (DX)
	ADDQ $4, CX
	JMP  colBlock
nextRowBlock:
	ADDQ $4, BX
	JMP  rowBlock
tdone:
	VZEROUPPER
	RET
