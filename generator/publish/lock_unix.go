//go:build unix && !solaris && !aix

package publish

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on the folder f without waiting
// (errLocked when another holds it), so nothing is written for it: a file
// would be published with the site. The system lets it go when f is
// closed, or the process ends.
func lockDir(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}
