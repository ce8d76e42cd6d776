//go:build !unix || solaris || aix

package publish

import "os"

// lockDir does nothing: Windows cannot lock a folder, solaris, illumos and
// aix have no flock, and a lock file would be published with the site.
// Two builds into one folder at once are not kept apart there.
func lockDir(*os.File) error { return nil }
