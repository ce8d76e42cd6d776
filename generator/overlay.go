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

var (
	_ fs.ReadDirFS  = overlay(nil)
	_ fs.ReadFileFS = overlay(nil)
)

// Open implements fs.FS.
func (o overlay) Open(name string) (fs.File, error) {
	return first(o, name, func(l fs.FS) (fs.File, error) { return l.Open(name) })
}

// ReadFile implements fs.ReadFileFS. (Through Open, a layer that notes
// what is read, as the build cache's does, would read each file twice.)
func (o overlay) ReadFile(name string) ([]byte, error) {
	return first(o, name, func(l fs.FS) ([]byte, error) { return fs.ReadFile(l, name) })
}

// first returns what op gives for the first layer that has name; else the
// first error other than not-exist, else not-exist.
func first[T any](o overlay, name string, op func(fs.FS) (T, error)) (T, error) {
	var firstErr error
	for _, l := range o {
		if l == nil {
			continue
		}
		v, err := op(l)
		if err == nil {
			return v, nil
		}
		if firstErr == nil || !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	var zero T
	return zero, firstErr
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
