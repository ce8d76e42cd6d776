//go:build !unix

package publish

import "os"

// writeFile is os.WriteFile: the system calls it saves on unix (see
// writefile_unix.go) are unix ones.
func writeFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }
