//go:build amd64 && !purego

#include "textflag.h"

// adamConsts layout (8 bytes each):
//   0 b1   8 1-b1   16 b2   24 1-b2   32 lr   40 c1   48 c2   56 eps

// absmask clears a float64's sign bit; minnorm is the smallest normal float64.
DATA absmask<>+0(SB)/8, $0x7fffffffffffffff
DATA absmask<>+8(SB)/8, $0x7fffffffffffffff
DATA absmask<>+16(SB)/8, $0x7fffffffffffffff
DATA absmask<>+24(SB)/8, $0x7fffffffffffffff
GLOBL absmask<>(SB), RODATA|NOPTR, $32
DATA minnorm<>+0(SB)/8, $0x0010000000000000
DATA minnorm<>+8(SB)/8, $0x0010000000000000
DATA minnorm<>+16(SB)/8, $0x0010000000000000
DATA minnorm<>+24(SB)/8, $0x0010000000000000
GLOBL minnorm<>(SB), RODATA|NOPTR, $32

// func adamAVX(p, grad, m, v *float64, n int, k *adamConsts)
// n is a multiple of 4. Per lane, exactly adamScalar's operations:
//   m = flush(b1*m + (1-b1)*g)
//   v = flush(b2*v + ((1-b2)*g)*g)
//   p = p - (lr*(m*c1)) / (sqrt(v*c2) + eps)
// where flush(x) is +0 when |x| < the smallest normal float64.
TEXT ·adamAVX(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSD 0(AX), Y8   // b1
	VBROADCASTSD 8(AX), Y9   // 1-b1
	VBROADCASTSD 16(AX), Y10 // b2
	VBROADCASTSD 24(AX), Y11 // 1-b2
	VBROADCASTSD 32(AX), Y12 // lr
	VBROADCASTSD 40(AX), Y13 // c1
	VBROADCASTSD 48(AX), Y14 // c2
	VBROADCASTSD 56(AX), Y15 // eps
	XORQ BX, BX

loop:
	CMPQ BX, CX
	JGE  done
	VMOVUPD (SI)(BX*8), Y0 // g
	VMOVUPD (R8)(BX*8), Y1 // m
	VMOVUPD (R9)(BX*8), Y2 // v
	VMULPD  Y8, Y1, Y1     // b1*m
	VMULPD  Y9, Y0, Y3     // (1-b1)*g
	VADDPD  Y3, Y1, Y1     // m
	VANDPD  absmask<>(SB), Y1, Y3
	VCMPPD  $1, minnorm<>(SB), Y3, Y3 // |m| < minnorm
	VANDNPD Y1, Y3, Y1     // flush: m & ^mask
	VMOVUPD Y1, (R8)(BX*8)
	VMULPD  Y10, Y2, Y2    // b2*v
	VMULPD  Y11, Y0, Y4    // (1-b2)*g
	VMULPD  Y0, Y4, Y4     // ((1-b2)*g)*g
	VADDPD  Y4, Y2, Y2     // v
	VANDPD  absmask<>(SB), Y2, Y4
	VCMPPD  $1, minnorm<>(SB), Y4, Y4 // |v| < minnorm
	VANDNPD Y2, Y4, Y2     // flush
	VMOVUPD Y2, (R9)(BX*8)
	VMULPD  Y13, Y1, Y5    // m*c1
	VMULPD  Y5, Y12, Y5    // lr*(m*c1)
	VMULPD  Y14, Y2, Y6    // v*c2
	VSQRTPD Y6, Y6         // sqrt(v*c2)
	VADDPD  Y15, Y6, Y6    // + eps
	VDIVPD  Y6, Y5, Y5     // step
	VMOVUPD (DI)(BX*8), Y7
	VSUBPD  Y5, Y7, Y7     // p - step
	VMOVUPD Y7, (DI)(BX*8)
	ADDQ    $4, BX
	JMP     loop

done:
	VZEROUPPER
	RET

// func hasAVX() bool: CPUID.1:ECX has OSXSAVE (27) and AVX (28), and the OS
// saves the YMM state (XCR0 bits 1 and 2).
TEXT ·hasAVX(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	MOVL CX, BX
	ANDL $0x18000000, BX
	CMPL BX, $0x18000000
	JNE  no
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	MOVB $1, ret+0(FP)
	RET
no:
	MOVB $0, ret+0(FP)
	RET
