//go:build unix && !solaris && !aix

package publish

import (
	"errors"
	"testing"
)

// Two builds never write one output folder at once: the second is told,
// and can go once the first is done.
func TestDirSinkLocked(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(dir); !errors.Is(err, errLocked) {
		t.Fatalf("second OpenDir: %v, want errLocked", err)
	}
	write(t, first, map[string]string{"index.html": "a"})
	if _, err := first.Commit(nil); err != nil {
		t.Fatal(err)
	}
	second, err := OpenDir(dir)
	if err != nil {
		t.Fatalf("OpenDir after the first committed: %v", err)
	}
	// A sink that only looks (a build that finds nothing to do) holds the
	// folder as well, and leaves nothing when it lets go.
	if _, err := OpenDir(dir); !errors.Is(err, errLocked) {
		t.Errorf("OpenDir while another sink holds the folder: %v, want errLocked", err)
	}
	second.Abort()
	if got := tree(t, dir); len(got) != 1 {
		t.Errorf("the lock left files: %v", got)
	}
}
