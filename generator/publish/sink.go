// Package publish writes a build's files: a Sink receives them, and on disk
// a DirSink applies the build to the output folder as one change.
//
// How output is written, for every command: nothing in the output folder
// changes until the whole build has succeeded. New and changed files are
// staged under a temporary name and renamed into place, so no reader (or
// CDN sync) ever sees a half-written file; unchanged files are not rewritten,
// so their mtime stays and sync tools upload only what changed; files that
// no longer belong to the site are removed. A failed or interrupted build
// leaves the old output as it was.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing/fstest"
)

// Sink receives the files of a build. name is slash-separated and relative
// to the output root. WriteFile may be called from several goroutines.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// MapSink keeps files in memory, for tests and the preview server.
type MapSink struct {
	mu    sync.Mutex
	Files map[string][]byte
}

var _ Sink = (*MapSink)(nil)

// NewMapSink returns an empty MapSink.
func NewMapSink() *MapSink { return &MapSink{Files: map[string][]byte{}} }

// WriteFile implements Sink.
func (m *MapSink) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.Files[name]; dup {
		return fmt.Errorf("publish: %s written twice", name)
	}
	m.Files[name] = bytes.Clone(data)
	return nil
}

// Names returns the file names in order.
func (m *MapSink) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.Files))
}

func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, "\\") {
		return fmt.Errorf("publish: invalid output name %q", name)
	}
	return nil
}

// stagingPrefix names the folder inside the output where a build stages
// its new files before they are renamed into place.
const stagingPrefix = ".disclose-staging"

// errLocked is OpenDir's error for an output another build is writing.
var errLocked = errors.New("另一个 disclose build 正在写这个输出文件夹：等它结束后再运行")

// deployers reports whether name, a path or one name of it, has a part
// that starts with a dot. Such names are the deployer's (a deploy
// repository's .git, .well-known, .htaccess; also the sink's own staging
// folders): a build never writes one, never removes one, and leaves what
// is under one alone.
func deployers(name string) bool {
	return strings.HasPrefix(name, ".") || strings.Contains(name, "/.")
}

// DirSink applies a build to a folder on disk through os.Root, so no name
// can escape it. Write the files, then Commit; or Abort to leave the folder
// as it was.
type DirSink struct {
	root    *os.Root
	lock    *os.File // the folder, locked until the sink is done
	staging string
	// dir is the output folder; created is the outermost folder on its
	// way that OpenDir made ("" if it was there), for Abort to remove.
	dir, created string
	// stagingDir is the staging folder on disk. The sink made it and is
	// alone in writing into it, so it writes there by path: through the
	// Root, each write would open every folder on its way (a third of a
	// build's system calls).
	stagingDir string
	stageOnce  sync.Once // makes the staging folder (see stage)
	stageErr   error
	// made notes the folders made in the staging folder; absent, per
	// folder of a file name, whether the output has no such folder: then
	// none of its files can be the same, and a first build asks once a
	// folder instead of failing to open every file. (Plain maps under
	// fmu: a sync.Map's entries are objects of their own, which the
	// collector visits in every cycle of a long build.)
	fmu    sync.Mutex
	made   map[string]bool
	absent map[string]bool

	// fresh says the folder held nothing but names that start with a dot
	// when the sink was opened: then nothing in it can be stale or the
	// same as a file written, so neither same nor Commit need look at it
	// (237,382 files for 10,000 disclosures).
	fresh bool

	mu      sync.Mutex
	written map[string]bool // every file of this build
	staged  []string        // files that differ from what is on disk
	done    bool
	bufs    chan []byte // buffers for same
}

var _ Sink = (*DirSink)(nil)

// Stats counts what a commit did.
type Stats struct {
	Written   int // new or changed files
	Unchanged int // files left alone
	Removed   int // files that no longer belong to the site
}

// ForeignFile returns the name of a file in dir when dir holds files but
// not a build's manifest.json: a folder no build wrote, whose files a
// Commit would remove. It returns "" for a folder a build wrote, an empty
// folder and one that cannot be read. Names that start with a dot do not
// count: Commit leaves them alone.
func ForeignFile(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	foreign := ""
	for _, e := range entries {
		switch {
		case e.Name() == ManifestFile && isManifest(filepath.Join(dir, ManifestFile)):
			return ""
		case foreign == "" && !deployers(e.Name()):
			foreign = e.Name()
		}
	}
	return foreign
}

// manifestHead is how every manifest.json a build writes begins.
var manifestHead = regexp.MustCompile(`^\{"version":[0-9]+,"base_url":`)

// isManifest reports whether the file at name is a build's manifest (a web
// app's manifest.json is not).
func isManifest(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	return manifestHead.Match(head[:n])
}

// OpenDir opens the output folder dir, making it if needed, and holds it
// locked until Commit or Abort (where the system can: see lockDir); a
// second OpenDir of it meanwhile fails. Abort removes the folders OpenDir
// made, so that a failed build leaves no trace, not even an empty output
// folder.
func OpenDir(dir string) (*DirSink, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	made := ""
	for p := abs; ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		made = p
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	// Two builds must not write one folder at once: the sink holds the
	// folder locked until it is done (closing lock lets it go).
	lock, err := os.Open(dir)
	if err == nil {
		if err = lockDir(lock); err != nil {
			lock.Close()
			err = fmt.Errorf("%s: %w", dir, err)
		}
	}
	if err != nil {
		root.Close()
		return nil, err
	}
	s := &DirSink{root: root, lock: lock, staging: fmt.Sprintf("%s-%d", stagingPrefix, os.Getpid()), written: map[string]bool{},
		made: map[string]bool{}, absent: map[string]bool{},
		bufs: make(chan []byte, 2*runtime.GOMAXPROCS(0)), dir: abs, created: made}
	s.stagingDir = filepath.Join(abs, s.staging)
	// A build that was killed may have left its staging folder behind
	// (one running would hold the lock).
	entries, err := fs.ReadDir(root.FS(), ".")
	s.fresh = err == nil
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagingPrefix) {
			_ = root.RemoveAll(e.Name())
		}
		s.fresh = s.fresh && deployers(e.Name())
	}
	return s, nil
}

// stage makes the staging folder, the first time a file differs: a build
// that changes nothing makes nothing, so it can run on a read-only copy.
func (s *DirSink) stage() error {
	s.stageOnce.Do(func() { s.stageErr = s.root.Mkdir(s.staging, 0o755) })
	return s.stageErr
}

// WriteFile implements Sink: a file whose bytes equal what is on disk is
// only noted; any other is staged.
func (s *DirSink) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	if deployers(name) {
		// Commit leaves such names to whoever put them there.
		return fmt.Errorf("publish: output name %q has a part that starts with a dot", name)
	}
	s.mu.Lock()
	if s.written[name] {
		s.mu.Unlock()
		return fmt.Errorf("publish: %s written twice", name)
	}
	s.written[name] = true
	s.mu.Unlock()

	if s.same(name, data) {
		return nil
	}
	if err := s.stage(); err != nil {
		return err
	}
	tmp := filepath.Join(s.stagingDir, filepath.FromSlash(name))
	if dir := path.Dir(name); dir != "." {
		s.fmu.Lock()
		made := s.made[dir]
		s.fmu.Unlock()
		if !made {
			if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
				return err
			}
			s.fmu.Lock()
			s.made[dir] = true
			s.fmu.Unlock()
		}
	}
	if err := writeFile(tmp, data); err != nil {
		return err
	}
	s.mu.Lock()
	s.staged = append(s.staged, name)
	s.mu.Unlock()
	return nil
}

// same reports whether the file name holds exactly data. It reads the file
// in pieces into one of the sink's buffers: a rebuild compares every file
// of the site, and reading each whole would make as much garbage as the
// site is large.
func (s *DirSink) same(name string, data []byte) bool {
	if s.fresh {
		return false
	}
	if dir := path.Dir(name); dir != "." {
		s.fmu.Lock()
		gone, ok := s.absent[dir]
		s.fmu.Unlock()
		if !ok {
			_, err := s.root.Stat(dir)
			gone = errors.Is(err, fs.ErrNotExist)
			s.fmu.Lock()
			s.absent[dir] = gone
			s.fmu.Unlock()
		}
		if gone {
			return false
		}
	}
	f, err := s.root.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	var buf []byte
	select {
	case buf = <-s.bufs:
	default:
		buf = make([]byte, 64<<10)
	}
	defer func() {
		select {
		case s.bufs <- buf:
		default:
		}
	}()
	for len(data) > 0 {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(data))])
		if err != nil || !bytes.Equal(buf[:n], data[:n]) {
			return false
		}
		data = data[n:]
	}
	// Nothing more: the file did not grow since Stat.
	n, _ := f.Read(buf[:1])
	return n == 0
}

// Commit renames the staged files into place and removes the files the
// build did not write, except those keep reports true for (keep may be
// nil). The sink cannot be used afterwards.
//
// A staged folder the output does not have yet is renamed into place
// whole: a first build renames a hundred folders rather than every file.
// The staging folder holds only staged files, so that moves just them.
func (s *DirSink) Commit(keep func(name string) bool) (Stats, error) {
	defer s.close()
	var st Stats
	slices.Sort(s.staged)
	moved := "" // the last folder renamed whole; sorted, its files follow
	there := map[string]bool{}
	for _, name := range s.staged {
		if moved != "" && strings.HasPrefix(name, moved+"/") {
			st.Written++
			continue
		}
		if dir := path.Dir(name); dir != "." {
			top, err := s.firstMissing(dir, there)
			if err != nil {
				return st, err
			}
			if top != "" { // its parent is there
				if err := s.root.Rename(s.staging+"/"+top, top); err != nil {
					return st, err
				}
				moved = top
				st.Written++
				continue
			}
		}
		// A directory where a file now goes (or the reverse) must go first.
		if fi, err := s.root.Lstat(name); err == nil && fi.IsDir() {
			if err := s.root.RemoveAll(name); err != nil {
				return st, err
			}
		}
		if err := s.root.Rename(s.staging+"/"+name, name); err != nil {
			return st, err
		}
		st.Written++
	}
	st.Unchanged = len(s.written) - len(s.staged)
	if s.fresh {
		// Every file and folder there now is the build's.
		return st, nil
	}
	var stale []string
	entries := map[string]int{} // by folder, what the walk found in it
	err := fs.WalkDir(s.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		entries[path.Dir(p)]++
		if deployers(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			entries[p] += 0
		}
		if !d.IsDir() && !s.written[p] && (keep == nil || !keep(p)) {
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	for _, p := range stale {
		if err := s.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return st, err
		}
		st.Removed++
		entries[path.Dir(p)]--
	}
	s.removeEmpty(entries)
	return st, nil
}

// removeEmpty removes the folders that counts (every folder of the output
// but the deployer's, with how many names the walk found in it, less those
// removed) says are empty, and the folders that leaves empty: the output
// holds exactly the site, with no folder left empty by a page removed, nor
// an empty one someone made.
func (s *DirSink) removeEmpty(counts map[string]int) {
	var empty []string
	for d, n := range counts {
		if n == 0 && d != "." {
			empty = append(empty, d)
		}
	}
	for len(empty) > 0 {
		d := empty[len(empty)-1]
		empty = empty[:len(empty)-1]
		if s.root.Remove(d) != nil {
			continue // not empty after all: left as it is
		}
		if up := path.Dir(d); up != "." {
			if counts[up]--; counts[up] == 0 {
				empty = append(empty, up)
			}
		}
	}
}

// firstMissing returns the outermost folder on the way to dir (itself
// included) that the output does not have, or "" when it has them all. A
// file where a folder must go is removed (the build did not write it).
// there notes the folders found.
func (s *DirSink) firstMissing(dir string, there map[string]bool) (string, error) {
	for i := 0; i <= len(dir); i++ {
		if i < len(dir) && dir[i] != '/' {
			continue
		}
		d := dir[:i]
		if there[d] {
			continue
		}
		fi, err := s.root.Lstat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return d, nil
		case err != nil:
			return "", err
		case !fi.IsDir():
			if err := s.root.Remove(d); err != nil {
				return "", err
			}
			return d, nil
		}
		there[d] = true
	}
	return "", nil
}

// Made reports whether OpenDir made the output folder, which Abort then
// removes.
func (s *DirSink) Made() bool { return s.created != "" }

// Abort discards the staged files; the folder is as it was before the
// build, or gone if OpenDir made it. It is safe to call after Commit.
func (s *DirSink) Abort() {
	if s.done {
		return
	}
	s.close()
	if s.created == "" {
		return
	}
	// Only empty folders go: someone may have put a file there meanwhile.
	for p := s.dir; os.Remove(p) == nil && p != s.created; p = filepath.Dir(p) {
	}
}

func (s *DirSink) close() {
	if s.done {
		return
	}
	s.done = true
	_ = s.root.RemoveAll(s.staging)
	_ = s.lock.Close()
	_ = s.root.Close()
}

// FS returns the files written so far as a file system, to serve or
// inspect a build held in memory.
func (m *MapSink) FS() fs.FS {
	m.mu.Lock()
	defer m.mu.Unlock()
	fsys := make(fstest.MapFS, len(m.Files))
	for name, data := range m.Files {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys
}
