//go:build unix

package publish

import (
	"io"
	"os"
	"syscall"
)

// writeFile creates (or truncates) the file name and writes data to it,
// as os.WriteFile does, in three system calls. os.WriteFile makes eight on
// Linux: after the open it sets the file non-blocking, tries to add it to
// the network poller (which refuses regular files) and sets it blocking
// again. A first build writes some 24 files a disclosure, and on tmpfs
// those five calls were a fifth of the time spent writing.
func writeFile(name string, data []byte) error {
	fd, err := open(name)
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, werr := syscall.Write(fd, data)
		if werr == syscall.EINTR {
			continue
		}
		if werr == nil && n == 0 {
			werr = io.ErrShortWrite
		}
		if werr != nil {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: werr}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

func open(name string) (int, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
