package engine

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// Caps on what lnfit reads from a file: each far above any real file of
// its kind, and each said in the error when a file is larger.
const (
	MaxNetworkFile = 256 << 20 // a 4096-wide network in JSON is far smaller
	MaxLessonFile  = 1 << 20   // a 1000-line lesson of 500-character captions is 0.5 MB
)

// ReadFileCapped reads a regular file of at most max bytes. It never blocks
// on a FIFO or a device: the file is opened non-blocking and anything but a
// regular file (a FIFO, socket, device or directory) is refused with a clear
// error, and a larger file is refused without reading it all.
func ReadFileCapped(path string, max int64) ([]byte, error) {
	shown := EscapeText(path)
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", shown, describeOpenError(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", shown, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, not a regular file", shown, fileKind(fi.Mode()))
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%s is %s bytes; at most %s are read", shown, Commas(fi.Size()), Commas(max))
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", shown, err)
	}
	if int64(len(data)) > max { // it grew while we read
		return nil, fmt.Errorf("%s is over %s bytes; at most %s are read", shown, Commas(max), Commas(max))
	}
	return data, nil
}

func describeOpenError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}
