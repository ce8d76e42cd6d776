package generator

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
)

// overlay is a read-only file system made of layers: a name is looked up in
// each layer in turn, and a directory lists the union of its layers. A site
// folder over the built-in theme is how a site overrides a layout or a
// stylesheet by putting a file at the same path.
type overlay []fs.FS

var _ fs.ReadDirFS = overlay(nil)

// Open implements fs.FS.
func (o overlay) Open(name string) (fs.File, error) {
	var firstErr error
	for _, l := range o {
		if l == nil {
			continue
		}
		f, err := l.Open(name)
		if err == nil {
			return f, nil
		}
		if firstErr == nil || !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return nil, firstErr
}

// ReadDir implements fs.ReadDirFS: the union of the layers' entries, the
// upper layer winning for a name in several.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, l := range o {
		if l == nil {
			continue
		}
		entries, err := fs.ReadDir(l, name)
		if err != nil {
			continue
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}
