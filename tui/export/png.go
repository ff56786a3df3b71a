package export

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// An lnfit PNG carries a tEXt chunk "Software: lnfit plot" right after its
// header chunk, so it can be recognised from its first bytes.
const (
	pngSig     = "\x89PNG\r\n\x1a\n"
	pngIHDREnd = 8 + 4 + 4 + 13 + 4 // signature, then IHDR's length, type, 13 bytes and CRC
	pngText    = "Software\x00lnfit plot"
)

func pngChunk(typ, data string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE([]byte(typ+data)))
}

// markPNG inserts the tEXt chunk after IHDR (a PNG reader skips it).
func markPNG(b []byte) []byte {
	if len(b) < pngIHDREnd || !bytes.HasPrefix(b, []byte(pngSig)) {
		return b
	}
	out := append([]byte(nil), b[:pngIHDREnd]...)
	out = append(out, pngChunk("tEXt", pngText)...)
	return append(out, b[pngIHDREnd:]...)
}

func pngOurs(head []byte) bool {
	return bytes.HasPrefix(head, []byte(pngSig)) && len(head) > pngIHDREnd &&
		bytes.HasPrefix(head[pngIHDREnd:], pngChunk("tEXt", pngText))
}
