// Package buildcache lets a build that would change nothing be skipped.
//
// A build reads its site through a [Recorder], which notes everything the
// build learnt from it: the bytes of each file read, the names in each
// folder listed, the files looked for and not found. After a build that
// succeeded, a [Record] keeps those notes, a key for the program and its
// options, every output file's size and modification time, and what the
// build reported. The next build with the same key asks [Record.Fresh]:
// if every note still holds and the output folder is as the build left
// it, that build would write the same bytes, so the caller prints the
// report again and writes nothing.
//
// Records live in a cache folder (by default under os.UserCacheDir), one
// per output folder. A record that is missing, unreadable, of another
// format or stale is simply not used: the cache can be deleted at any
// time.
package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// format is the version of the record's encoding; a record of another
// version is ignored.
const format = 1

// Kind is what a note says about a name.
type Kind uint8

const (
	// File: the file's bytes have the digest.
	File Kind = iota + 1
	// Dir: the folder lists these names (the digest of names and kinds).
	Dir
	// Info: the name's type, size and modification time.
	Info
	// Absent: nothing has the name.
	Absent
)

// Input is one note: what the build learnt about a name of its site.
type Input struct {
	Kind Kind
	Name string
	Sum  [32]byte
}

// Output is one file or folder of the output folder as the build left it.
type Output struct {
	Name    string // a folder's ends in a slash
	Size    int64  // -1 for a folder
	ModTime int64  // Unix nanoseconds; 0 for a folder
}

// Files counts the files among rec's outputs.
func (rec *Record) Files() int {
	n := 0
	for _, o := range rec.Outputs {
		if o.Size >= 0 {
			n++
		}
	}
	return n
}

// Record is what a cache keeps of a build.
type Record struct {
	Format  int
	Key     [32]byte
	Inputs  []Input
	Outputs []Output
	// Report is what the build reported, for the caller to show again; the
	// package does not read it.
	Report []byte
}

// Recorder is a file system that notes what is read through it (see the
// package documentation). It is safe for concurrent use.
type Recorder struct {
	fsys fs.FS
	mu   sync.Mutex
	// notes by kind and name; a name read twice keeps its first note.
	notes map[noteKey][32]byte
}

type noteKey struct {
	kind Kind
	name string
}

var (
	_ fs.ReadFileFS = (*Recorder)(nil)
	_ fs.ReadDirFS  = (*Recorder)(nil)
	_ fs.StatFS     = (*Recorder)(nil)
)

// NewRecorder returns a Recorder reading fsys.
func NewRecorder(fsys fs.FS) *Recorder {
	return &Recorder{fsys: fsys, notes: map[noteKey][32]byte{}}
}

func (r *Recorder) note(k Kind, name string, sum [32]byte) {
	r.mu.Lock()
	if _, ok := r.notes[noteKey{k, name}]; !ok {
		r.notes[noteKey{k, name}] = sum
	}
	r.mu.Unlock()
}

// noteErr notes a name that does not exist; other errors are not notes
// (the build fails on them, and a failed build leaves no record).
func (r *Recorder) noteErr(name string, err error) {
	if errors.Is(err, fs.ErrNotExist) {
		r.note(Absent, name, [32]byte{})
	}
}

// Open implements fs.FS. A file opened is noted with its bytes as they are
// when it is opened; a folder, with its names.
func (r *Recorder) Open(name string) (fs.File, error) {
	f, err := r.fsys.Open(name)
	if err != nil {
		r.noteErr(name, err)
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	// The first note of a name stands (see note): a name read before,
	// as the build reads every source it later opens to place a problem
	// or to stat it, is not read and hashed again.
	if fi.IsDir() {
		if !r.noted(Dir, name) {
			if sum, err := dirSum(r.fsys, name); err == nil {
				r.note(Dir, name, sum)
			}
		}
	} else if !r.noted(File, name) {
		if data, err := fs.ReadFile(r.fsys, name); err == nil {
			r.note(File, name, sha256.Sum256(data))
		}
	}
	return f, nil
}

func (r *Recorder) noted(k Kind, name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.notes[noteKey{k, name}]
	return ok
}

// ReadFile implements fs.ReadFileFS.
func (r *Recorder) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		r.noteErr(name, err)
		return nil, err
	}
	r.note(File, name, sha256.Sum256(data))
	return data, nil
}

// ReadDir implements fs.ReadDirFS.
func (r *Recorder) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(r.fsys, name)
	if err != nil {
		r.noteErr(name, err)
		return nil, err
	}
	r.note(Dir, name, entriesSum(entries))
	return entries, nil
}

// Stat implements fs.StatFS.
func (r *Recorder) Stat(name string) (fs.FileInfo, error) {
	fi, err := fs.Stat(r.fsys, name)
	if err != nil {
		r.noteErr(name, err)
		return nil, err
	}
	r.note(Info, name, infoSum(fi))
	return fi, nil
}

// Inputs returns the notes taken so far, sorted.
func (r *Recorder) Inputs() []Input {
	r.mu.Lock()
	defer r.mu.Unlock()
	in := make([]Input, 0, len(r.notes))
	for k, sum := range r.notes {
		in = append(in, Input{Kind: k.kind, Name: k.name, Sum: sum})
	}
	slices.SortFunc(in, func(a, b Input) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return int(a.Kind) - int(b.Kind)
	})
	return in
}

func entriesSum(entries []fs.DirEntry) [32]byte {
	h := sha256.New()
	for _, e := range entries {
		fmt.Fprintf(h, "%s\x00%t\x00", e.Name(), e.IsDir())
	}
	return [32]byte(h.Sum(nil))
}

func dirSum(fsys fs.FS, name string) ([32]byte, error) {
	entries, err := fs.ReadDir(fsys, name)
	if err != nil {
		return [32]byte{}, err
	}
	return entriesSum(entries), nil
}

func infoSum(fi fs.FileInfo) [32]byte {
	return sha256.Sum256(fmt.Appendf(nil, "%v\x00%d\x00%d", fi.Mode().Type(), fi.Size(), fi.ModTime().UnixNano()))
}

// holds reports whether note in is still true of fsys.
func holds(fsys fs.FS, in Input) bool {
	switch in.Kind {
	case File:
		data, err := fs.ReadFile(fsys, in.Name)
		return err == nil && sha256.Sum256(data) == in.Sum
	case Dir:
		sum, err := dirSum(fsys, in.Name)
		return err == nil && sum == in.Sum
	case Info:
		fi, err := fs.Stat(fsys, in.Name)
		return err == nil && infoSum(fi) == in.Sum
	case Absent:
		_, err := fs.Stat(fsys, in.Name)
		return errors.Is(err, fs.ErrNotExist)
	}
	return false
}

// Snapshot lists the files of the output folder dir, for a Record, and its
// folders (named with a trailing slash, size -1): a folder made by hand,
// even empty, is something a build would remove. Names that start with a
// dot, and what is under them, are left out: they are the deployer's (a
// deploy repository's .git, .well-known), which a build neither writes nor
// removes, and a commit there changes no page.
func Snapshot(dir string) ([]Output, error) {
	var out []Output
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir {
				out = append(out, Output{Name: filepath.ToSlash(rel) + "/", Size: -1})
			}
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, Output{Name: filepath.ToSlash(rel), Size: fi.Size(), ModTime: fi.ModTime().UnixNano()})
		return nil
	})
	return out, err
}

// Fresh reports whether a build with key, of the site src into the folder
// out, would write what rec says it wrote: same key, every input note
// still true of src, and out holding exactly rec's files, each with the
// size and modification time the build left it with. It reads every input
// file again (in GOMAXPROCS goroutines) and lists out.
func (rec *Record) Fresh(key [32]byte, src fs.FS, out string) bool {
	if rec == nil || rec.Format != format || rec.Key != key {
		return false
	}
	var stale atomic.Bool
	next := make(chan Input)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for in := range next {
				if !stale.Load() && !holds(src, in) {
					stale.Store(true)
				}
			}
		})
	}
	for _, in := range rec.Inputs {
		if stale.Load() {
			break
		}
		next <- in
	}
	close(next)
	wg.Wait()
	if stale.Load() {
		return false
	}
	now, err := Snapshot(out)
	return err == nil && slices.Equal(now, rec.Outputs)
}

// Cache is a folder of records, one per output folder.
type Cache struct {
	dir string
}

// Open returns the cache in dir (created when a record is stored).
func Open(dir string) *Cache { return &Cache{dir: dir} }

// DefaultDir is the cache folder of a user: disclose under
// os.UserCacheDir.
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "disclose"), nil
}

// file names the record of the output folder out.
func (c *Cache) file(out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(c.dir, "builds", fmt.Sprintf("%x.gob", sum[:12]))
}

// Load returns the record of the output folder out, or nil if there is
// none that can be read.
func (c *Cache) Load(out string) *Record {
	data, err := os.ReadFile(c.file(out))
	if err != nil {
		return nil
	}
	rec := new(Record)
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(rec); err != nil || rec.Format != format {
		return nil
	}
	return rec
}

// Store keeps rec as the record of the output folder out, replacing the
// previous one atomically, and removes the records no build has stored or
// used (see Used) for 30 days (an output folder deleted, a site gone), so
// that the cache does not grow for ever.
func (c *Cache) Store(out string, rec *Record) error {
	rec.Format = format
	name := c.file(out)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(rec); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), "record-*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(b.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	c.prune(name)
	return nil
}

// Used notes that the record of out served a build, so that Store keeps
// it: a site built every day with nothing changed stores no record, and
// is the cache's best case. An error is of no consequence.
func (c *Cache) Used(out string) {
	now := time.Now()
	os.Chtimes(c.file(out), now, now)
}

// stale is how long a record may go unstored and unused before Store
// removes it.
const stale = 30 * 24 * time.Hour

// prune removes the records (and temporary files a killed build left)
// older by stale than the one just stored as name, by their modification
// times.
func (c *Cache) prune(name string) {
	fi, err := os.Stat(name)
	if err != nil {
		return
	}
	dir := filepath.Dir(name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && fi.ModTime().Sub(info.ModTime()) > stale {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Key digests the running program (its executable's bytes) and options
// (as JSON): a record is used only by the same program with the same
// options.
func Key(options any) ([32]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return [32]byte{}, err
	}
	f, err := os.Open(exe)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}, err
	}
	opts, err := json.Marshal(options)
	if err != nil {
		return [32]byte{}, err
	}
	h.Write(opts)
	return [32]byte(h.Sum(nil)), nil
}

// Forget removes the record of the output folder out, if any: a build that
// failed or changed the folder without a record leaves none behind.
func (c *Cache) Forget(out string) {
	os.Remove(c.file(out))
}
