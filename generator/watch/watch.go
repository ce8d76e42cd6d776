// Package watch reports changes to a site folder as debounced batches of
// paths, for a loop that rebuilds on every save.
//
// It watches the folders a site is made of (content/, layouts/, static/,
// root/) and everything below them with fsnotify, adding folders as they
// appear and dropping those removed, since fsnotify does not recurse.
// Editors save in bursts (write a temporary file and rename it over the
// original; rename the original to a backup first; write in several
// pieces), so events are gathered until the folder has been quiet for a
// short window, with a maximum wait, and a burst gives one batch. Attribute-only changes (chmod,
// sent in floods by indexers and backup tools) and editors' temporary and
// backup files are ignored. When the kernel's event queue overflows or the
// watcher fails, events were lost: the batch then says to rescan
// everything. Where fsnotify cannot be used (inotify limits, network
// drives), the Watcher polls instead.
package watch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Batch is one set of changes, reported once the folder has been quiet.
type Batch struct {
	// Paths are the files and folders created, written, renamed or removed,
	// slash-separated and relative to the watched root, sorted, each once.
	Paths []string
	// Rescan says changes may have been lost (the event queue overflowed,
	// the watcher failed, or a burst was too large to list): treat every
	// file as changed. Paths may then be incomplete.
	Rescan bool
	// Err is why a Rescan was needed, when that was a failure.
	Err error
}

// Options tune a Watcher. The zero value watches content, layouts, static
// and root with the default timings.
type Options struct {
	// Dirs are the folders below the root to watch, with everything in
	// them; default content, layouts, static, root.
	Dirs []string
	// Quiet is how long the folder must be quiet before a batch is
	// reported; each event starts the window again. Default 30 ms.
	Quiet time.Duration
	// MaxWait bounds how long a batch waits for quiet while events keep
	// coming. Default 500 ms.
	MaxWait time.Duration
	// Poll, when positive, polls the folders at this interval instead of
	// using fsnotify.
	Poll time.Duration
}

// Defaults.
const (
	DefaultQuiet    = 30 * time.Millisecond
	DefaultMaxWait  = 500 * time.Millisecond
	DefaultPoll     = 500 * time.Millisecond
	maxBatchedPaths = 2000 // beyond this a batch asks for a rescan
)

// Watcher watches a site folder. Create it with New, then call Run.
type Watcher struct {
	root string
	o    Options
	fsw  *fsnotify.Watcher // nil when polling
	// polling says why the Watcher polls, if it does.
	polling error
	out     chan Batch
	// last is the polled state, from New on.
	last map[string]stat

	// watched holds the folders added to fsw; only New and Run's goroutine
	// use it.
	mu      sync.Mutex
	watched map[string]bool
}

// New starts watching root (a site folder) and the folders of o.Dirs below
// it; changes made after New returns are reported by Run. When fsnotify
// cannot watch them (or o.Poll is set) the Watcher polls: see Polling.
func New(root string, o Options) (*Watcher, error) {
	if o.Dirs == nil {
		o.Dirs = []string{"content", "layouts", "static", "root"}
	}
	if o.Quiet <= 0 {
		o.Quiet = DefaultQuiet
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a folder", root)
	}
	w := &Watcher{root: root, o: o, out: make(chan Batch), watched: map[string]bool{}}
	if o.Poll > 0 {
		w.polling = errors.New("polling was asked for")
		w.last = w.scan()
		return w, nil
	}
	if w.fsw, err = fsnotify.NewWatcher(); err == nil {
		err = w.addRoot()
	}
	if err != nil {
		if w.fsw != nil {
			w.fsw.Close()
			w.fsw = nil
		}
		w.polling = err
		w.o.Poll = DefaultPoll
		w.last = w.scan()
	}
	return w, nil
}

// Polling reports whether the Watcher polls instead of using fsnotify, and
// why.
func (w *Watcher) Polling() (bool, error) { return w.polling != nil, w.polling }

// Batches returns the channel Run reports batches on. It is closed when Run
// returns.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// Run reports changes until ctx is done, then releases the watcher and
// closes Batches. A batch waits for its receiver; events that arrive
// meanwhile join it, so a slow receiver gets fewer, larger batches and
// loses nothing.
func (w *Watcher) Run(ctx context.Context) {
	defer close(w.out)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan change)
	var wg sync.WaitGroup
	wg.Go(func() { debounce(ctx, in, w.out, w.o.Quiet, w.o.MaxWait) })
	emit := func(c change) bool {
		select {
		case in <- c:
			return true
		case <-ctx.Done():
			return false
		}
	}
	if w.fsw != nil {
		w.events(ctx, emit)
		w.fsw.Close()
	} else {
		w.poll(ctx, emit)
	}
	cancel()
	wg.Wait()
}

// change is one path that changed, or a request to rescan.
type change struct {
	path   string
	op     op
	rescan bool
	err    error
}

// op is what happened to a path, as far as batching cares.
type op uint8

const (
	opWrite  op = iota // written, or unknown
	opCreate           // created, or moved here
	opGone             // removed, or moved away
)

// pathState records what a batch saw happen to a path.
type pathState struct {
	created bool // created during the batch
	gone    bool // removed or moved away since
}

// addRoot watches the root itself, for the watched folders being created
// or removed, and every watched folder that exists.
func (w *Watcher) addRoot() error {
	if err := w.fsw.Add(w.root); err != nil {
		return err
	}
	for _, d := range w.o.Dirs {
		dir := filepath.Join(w.root, filepath.FromSlash(d))
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			if err := w.addTree(dir, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// addTree watches dir and every folder below it, and those linked in
// (see walkLinked). With emit set it also reports every file found: files
// created in a new folder before it was watched give no event of their
// own.
func (w *Watcher) addTree(dir string, emit func(change) bool) error {
	return walkLinked(dir, func(p string, d fs.DirEntry) error {
		if !d.IsDir() {
			if emit != nil {
				if rel, ok := w.rel(p); ok && !Ignored(rel) {
					emit(change{path: rel, op: opCreate})
				}
			}
			return nil
		}
		// Watch before listing (WalkDir lists after this call), so a file
		// created now is either listed or reported.
		if err := w.fsw.Add(p); err != nil {
			return err
		}
		w.mu.Lock()
		w.watched[p] = true
		w.mu.Unlock()
		return nil
	})
}

// walkLinked calls fn for dir and everything below it, as
// filepath.WalkDir does, and goes on into folders linked in below it, as
// the content loader reads them: a linked folder is named through its
// link and comes as a folder. It leaves out the folders skipDir names and
// stops following links eight deep, so that a link to a folder above it
// ends. An error of dir itself goes to fn; below it, a name removed
// meanwhile is passed over (its own event tells of it).
func walkLinked(dir string, fn func(p string, d fs.DirEntry) error) error {
	var walk func(dir string, links int) error
	walk = func(dir string, links int) error {
		root := dir
		if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			root = dir + string(filepath.Separator) // WalkDir lists a linked folder named so
		}
		return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			p = filepath.Clean(p)
			switch {
			case err != nil && p == dir:
				return err
			case err != nil:
				return nil
			case p == dir:
				return fn(p, d)
			case skipDir(d.Name()) && d.IsDir():
				return filepath.SkipDir
			case skipDir(d.Name()) && d.Type()&fs.ModeSymlink != 0:
				return nil
			case d.Type()&fs.ModeSymlink != 0 && links < 8:
				if fi, err := os.Stat(p); err == nil && fi.IsDir() {
					if err := walk(p, links+1); err != nil && !errors.Is(err, fs.ErrNotExist) {
						return err
					}
					return nil
				}
			}
			return fn(p, d)
		})
	}
	return walk(dir, 0)
}

// forget drops the watches of dir and everything below it. A folder is
// watched only while its parent is (addTree watches a folder before what
// is in it), so a name not watched, such as a file's, has nothing below it
// to drop: most removals cost no walk over every watch.
func (w *Watcher) forget(dir string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.watched[dir] {
		return
	}
	below := dir + string(filepath.Separator)
	for p := range w.watched {
		if p == dir || strings.HasPrefix(p, below) {
			delete(w.watched, p)
			_ = w.fsw.Remove(p) // inotify drops it by itself when removed
		}
	}
}

// watchedDirs returns how many folders are watched (for tests).
func (w *Watcher) watchedDirs() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.watched)
}

// rel returns p relative to the root, slash-separated, and whether it lies
// in a watched folder.
func (w *Watcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return "", false
	}
	r = filepath.ToSlash(r)
	first, _, _ := strings.Cut(r, "/")
	return r, slices.Contains(w.o.Dirs, first)
}

// events turns fsnotify's events into changes until ctx is done.
func (w *Watcher) events(ctx context.Context, emit func(change) bool) {
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			// Events were lost (the queue overflowed) or the watcher
			// failed: watch again whatever exists and rescan everything.
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				err = fmt.Errorf("watch: %w", err)
			}
			if !emit(change{rescan: true, err: err}) {
				return
			}
			if rerr := w.addRoot(); rerr != nil && !emit(change{rescan: true, err: rerr}) {
				return
			}
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if !w.handle(ev, emit) {
				return
			}
		}
	}
}

// handle reports one fsnotify event; false means ctx is done.
func (w *Watcher) handle(ev fsnotify.Event, emit func(change) bool) bool {
	if ev.Op == fsnotify.Chmod || ev.Name == "" {
		return true // attributes only, or a nameless event of rm -rf
	}
	rel, ok := w.rel(ev.Name)
	if !ok || Ignored(rel) {
		return true
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() { // a folder, or a link to one
			if err := w.addTree(ev.Name, emit); err != nil {
				return emit(change{rescan: true, err: fmt.Errorf("watch: %w", err)})
			}
		}
	}
	c := change{path: rel}
	switch {
	case ev.Has(fsnotify.Create):
		c.op = opCreate
	case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
		c.op = opGone
	}
	return emit(c)
}

// skipDir reports folders never watched: those whose names start with a
// dot (.git, .hg, an editor's hidden folder), which a build does not read,
// and node_modules.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules"
}

// Ignored reports whether a path (slash-separated, below the site folder)
// is one a build does not read, so that its changes never matter to the
// site: a name in it that starts with a dot (a hidden file or folder, an
// editor's .name.XXXXXX temporary file before its rename, vim's .name.swp,
// emacs's .#lock, GNOME's .goutputstream, .DS_Store), an editor's other
// temporary, swap or backup files (backup~, vim's 4913 probe, emacs's
// #autosave#, JetBrains' ___jb_tmp___, Office's ~$name, *.tmp) or an
// operating system's side file (Thumbs.db, desktop.ini).
func Ignored(path string) bool {
	if strings.HasPrefix(path, ".") || strings.Contains(path, "/.") {
		return true
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	switch {
	case name == "4913", name == "Thumbs.db", name == "desktop.ini":
		return true
	case strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, ".TMP"),
		strings.HasSuffix(name, ".bak"), strings.HasSuffix(name, ".bck"),
		strings.HasSuffix(name, ".crswap"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"), strings.HasSuffix(name, "___jb_bak___"):
		return true
	case strings.HasPrefix(name, "~$"):
		return true
	case len(name) > 1 && name[0] == '#' && name[len(name)-1] == '#':
		return true
	}
	// vim swap files: .name.swp, .swo, .swn … and .swx.
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		ext := name[i+1:]
		if len(ext) == 3 && ext[0] == 's' && ext[1] == 'w' && ext[2] >= 'a' && ext[2] <= 'x' {
			return true
		}
	}
	return false
}

// debounce gathers changes from in into batches and sends each on out once
// no change has come for quiet, or maxWait after the first change of the
// batch, whichever is sooner. Changes that come while a batch waits for its
// receiver join it and, unless maxWait has passed, start the quiet window
// again. A path created and gone again within a batch (an editor's or a
// tool's temporary file, such as sed -i's) is left out. It returns when ctx
// is done.
func debounce(ctx context.Context, in <-chan change, out chan<- Batch, quiet, maxWait time.Duration) {
	var (
		pending = map[string]*pathState{}
		rescan  bool
		err     error
		first   time.Time // of the batch being gathered
		timer   = time.NewTimer(time.Hour)
		fire    <-chan time.Time
		ready   bool
	)
	timer.Stop()
	defer timer.Stop()
	for {
		var send chan<- Batch
		var b Batch
		if ready {
			send = out
			b = Batch{Rescan: rescan, Err: err}
			if !rescan {
				b.Paths = make([]string, 0, len(pending))
				for p, st := range pending {
					if !st.created || !st.gone {
						b.Paths = append(b.Paths, p)
					}
				}
				slices.Sort(b.Paths)
				if len(b.Paths) == 0 {
					// Only temporary files came and went.
					clear(pending)
					ready = false
					continue
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case c := <-in:
			now := time.Now()
			if len(pending) == 0 && !rescan {
				first = now
			}
			if c.rescan {
				rescan = true
				err = cmp.Or(err, c.err)
			} else if c.path != "" {
				st := pending[c.path]
				if st == nil {
					st = &pathState{}
					pending[c.path] = st
				}
				switch c.op {
				case opCreate:
					st.created, st.gone = true, false
				case opGone:
					st.gone = true
				default:
					st.gone = false
				}
			}
			if len(pending) > maxBatchedPaths {
				rescan = true
			}
			wait := min(quiet, first.Add(maxWait).Sub(now))
			if wait <= 0 {
				ready, fire = true, nil
				timer.Stop()
			} else {
				ready = false
				timer.Reset(wait)
				fire = timer.C
			}
		case <-fire:
			ready, fire = true, nil
		case send <- b:
			clear(pending)
			rescan, err, ready = false, nil, false
		}
	}
}

// poll reports changes found by comparing the watched folders at every
// interval, where fsnotify cannot be used.
func (w *Watcher) poll(ctx context.Context, emit func(change) bool) {
	prev := w.last
	t := time.NewTicker(w.o.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur := w.scan()
		for p, st := range cur {
			if old, ok := prev[p]; !ok || old != st {
				if !emit(change{path: p}) {
					return
				}
			}
		}
		for p := range prev {
			if _, ok := cur[p]; !ok {
				if !emit(change{path: p}) {
					return
				}
			}
		}
		prev = cur
	}
}

// stat is what polling compares.
type stat struct {
	size  int64
	mtime time.Time
	mode  fs.FileMode
}

// scan records every file and folder of the watched folders.
func (w *Watcher) scan() map[string]stat {
	out := map[string]stat{}
	for _, d := range w.o.Dirs {
		_ = walkLinked(filepath.Join(w.root, filepath.FromSlash(d)), func(p string, _ fs.DirEntry) error {
			rel, ok := w.rel(p)
			if !ok || Ignored(rel) {
				return nil
			}
			fi, err := os.Stat(p) // through a link, what it links to
			if err != nil {
				return nil
			}
			st := stat{mode: fi.Mode().Type()}
			if !fi.IsDir() {
				st.size, st.mtime = fi.Size(), fi.ModTime()
			}
			out[rel] = st
			return nil
		})
	}
	return out
}
