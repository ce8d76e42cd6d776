// Package disclose holds the default theme of the disclose static site
// generator: the layouts/ and static/ folders, embedded so an installed
// disclose works in any site folder. A site overrides a file by putting its
// own at the same path.
package disclose

import (
	"embed"
	"io/fs"
)

//go:embed layouts static
var theme embed.FS

// Theme returns the default theme: layouts/… and static/….
func Theme() fs.FS { return theme }
