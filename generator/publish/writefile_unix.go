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
// again. A first build writes some 24 files a disclosure; on tmpfs a file
// took 14.1 µs through os.WriteFile, 12.5–12.7 µs here (BenchmarkDirSink).
func writeFile(name string, data []byte) error {
	fd, err := create(name)
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

// create opens name for writing, made or emptied, retrying when a signal
// interrupts the call.
func create(name string) (int, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
