package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// These tests use the real file system and fsnotify, so they wait for
// batches on the real clock (bounded by a timeout); the timing of batches
// is tested on a fake clock in debounce_test.go.

// site makes a site folder with a content file and returns its path.
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, "content/site.toml", "title = \"t\"\n")
	write(t, dir, "content/a/body.toml", "name = \"甲\"\n")
	write(t, dir, "content/a/2020/budget/01.md", "# 一\n")
	write(t, dir, "layouts/home.html", "x")
	return dir
}

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// start runs a Watcher of root for the test.
func start(t *testing.T, root string, o Options) *Watcher {
	t.Helper()
	w, err := New(root, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return w
}

// next returns the next batch.
func next(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("no batch within 10 s")
	}
	return Batch{}
}

// onlyThen writes a sentinel file and expects the next batch to hold it
// alone: whatever the test did before gave no batch of its own and left
// nothing to join a later one.
func onlyThen(t *testing.T, root string, w *Watcher) {
	t.Helper()
	write(t, root, "content/sentinel.md", time.Now().String())
	if b := next(t, w); !slices.Equal(b.Paths, []string{"content/sentinel.md"}) || b.Rescan {
		t.Errorf("batch after the sentinel = %+v, want only content/sentinel.md", b)
	}
}

func TestEditorSaves(t *testing.T) {
	const target = "content/a/2020/budget/01.md"
	tests := []struct {
		name string
		save func(t *testing.T, root string)
	}{
		{"in place", func(t *testing.T, root string) { write(t, root, target, "# 二\n") }},
		{"in pieces, as Notepad++ and large files do", func(t *testing.T, root string) {
			f, err := os.OpenFile(filepath.Join(root, target), os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"# 二\n", "正文", "\n"} {
				f.WriteString(s)
				f.Sync()
			}
			f.Close()
		}},
		{"temporary file renamed over it (atomic save: VS Code, Go, most tools)", func(t *testing.T, root string) {
			tmp := filepath.Join(root, "content/a/2020/budget/.01.md.tmp")
			if err := os.WriteFile(tmp, []byte("# 二\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, filepath.Join(root, target)); err != nil {
				t.Fatal(err)
			}
		}},
		{"vim: backup renamed, new file written, swap and probe files", func(t *testing.T, root string) {
			p := filepath.Join(root, target)
			write(t, root, "content/a/2020/budget/.01.md.swp", "swap")
			write(t, root, "content/a/2020/budget/4913", "")
			os.Remove(filepath.Join(root, "content/a/2020/budget/4913"))
			if err := os.Rename(p, p+"~"); err != nil {
				t.Fatal(err)
			}
			write(t, root, target, "# 二\n")
			os.Remove(p + "~")
			os.Remove(filepath.Join(root, "content/a/2020/budget/.01.md.swp"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := site(t)
			w := start(t, root, Options{})
			tt.save(t, root)
			b := next(t, w)
			if !slices.Equal(b.Paths, []string{target}) || b.Rescan {
				t.Errorf("batch = %+v, want [%s]", b, target)
			}
			onlyThen(t, root, w)
		})
	}
}

// TestIgnoredChanges: chmod alone, editors' temporary files and folders
// outside the site's give no batch.
func TestIgnoredChanges(t *testing.T) {
	root := site(t)
	w := start(t, root, Options{})
	if err := os.Chmod(filepath.Join(root, "content/a/body.toml"), 0o600); err != nil {
		t.Fatal(err)
	}
	write(t, root, "content/a/.#body.toml", "lock")
	write(t, root, "content/a/#body.toml#", "autosave")
	write(t, root, "layouts/home.html___jb_tmp___", "x")
	write(t, root, "public/index.html", "output")
	write(t, root, "notes.txt", "not part of the site")
	onlyThen(t, root, w)
}

// TestNewAndRemovedFolders: a new body folder is watched with everything
// in it, including files written before its watch was added; a removed one
// is dropped.
func TestNewAndRemovedFolders(t *testing.T) {
	root := site(t)
	w := start(t, root, Options{})
	before := w.watchedDirs()
	write(t, root, "content/b/body.toml", "name = \"乙\"\n")
	write(t, root, "content/b/2021/final/data.toml", "unit = \"元\"\n")
	b := next(t, w)
	for _, p := range []string{"content/b/body.toml", "content/b/2021/final/data.toml"} {
		if !slices.Contains(b.Paths, p) {
			t.Errorf("batch %v lacks %s", b.Paths, p)
		}
	}
	if got := w.watchedDirs(); got != before+3 {
		t.Errorf("watching %d folders, want %d", got, before+3)
	}
	// A file in the new folder's new subfolder is seen.
	write(t, root, "content/b/2021/final/01.md", "# 一\n")
	if b := next(t, w); !slices.Contains(b.Paths, "content/b/2021/final/01.md") {
		t.Errorf("batch %v lacks the file in the new folder", b.Paths)
	}
	if err := os.RemoveAll(filepath.Join(root, "content/b")); err != nil {
		t.Fatal(err)
	}
	if b := next(t, w); !slices.Contains(b.Paths, "content/b") {
		t.Errorf("batch %v lacks the removed folder", b.Paths)
	}
	if got := w.watchedDirs(); got != before {
		t.Errorf("watching %d folders after the removal, want %d", got, before)
	}
	// A site folder that gains static/ later.
	write(t, root, "static/css/site.css", "body{}")
	if b := next(t, w); !slices.Contains(b.Paths, "static/css/site.css") {
		t.Errorf("batch %v lacks the file in the new static folder", b.Paths)
	}
}

// TestOverflowRescans: when the kernel's queue overflows the batch asks
// for a rescan.
func TestOverflowRescans(t *testing.T) {
	root := site(t)
	w := start(t, root, Options{})
	if ok, err := w.Polling(); ok {
		t.Skipf("fsnotify unavailable here: %v", err)
	}
	w.fsw.Errors <- fsnotify.ErrEventOverflow
	if b := next(t, w); !b.Rescan || b.Err == nil {
		t.Errorf("batch after an overflow = %+v, want a rescan", b)
	}
	onlyThen(t, root, w)
}

// TestPolling: where fsnotify cannot be used, polling finds the same
// changes.
func TestPolling(t *testing.T) {
	root := site(t)
	w := start(t, root, Options{Poll: 20 * time.Millisecond})
	if ok, _ := w.Polling(); !ok {
		t.Fatal("not polling")
	}
	write(t, root, "content/a/2020/budget/01.md", "# 改过的标题，长度不同\n")
	write(t, root, "content/c/body.toml", "name = \"丙\"\n")
	os.Remove(filepath.Join(root, "layouts/home.html"))
	want := []string{"content/a/2020/budget/01.md", "content/c", "content/c/body.toml", "layouts/home.html"}
	var got []string
	for len(got) < len(want) {
		b := next(t, w)
		for _, p := range b.Paths {
			if !slices.Contains(got, p) {
				got = append(got, p)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("polled changes %v, want %v", got, want)
	}
}

// TestLinkedFolders: a folder linked into content/ is watched through the
// link, as the content loader reads it, whether linked before the watch
// or after; with events and with polling.
func TestLinkedFolders(t *testing.T) {
	for _, o := range []Options{{}, {Poll: 20 * time.Millisecond}} {
		root := site(t)
		outside := t.TempDir()
		write(t, outside, "y2021/budget/01.md", "# 一\n")
		write(t, outside, "y2022/budget/01.md", "# 一\n")
		if err := os.Symlink(filepath.Join(outside, "y2021"), filepath.Join(root, "content/a/2021")); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
		w := start(t, root, o)
		write(t, outside, "y2021/budget/01.md", "# 二，长度不同\n")
		if b := next(t, w); !slices.Equal(b.Paths, []string{"content/a/2021/budget/01.md"}) {
			t.Errorf("poll %v: edit through a link: %+v", o.Poll, b)
		}
		if err := os.Symlink(filepath.Join(outside, "y2022"), filepath.Join(root, "content/a/2022")); err != nil {
			t.Fatal(err)
		}
		if b := next(t, w); !slices.Contains(b.Paths, "content/a/2022") {
			t.Errorf("poll %v: a new link: %+v", o.Poll, b)
		}
		write(t, outside, "y2022/budget/01.md", "# 三，长度又不同\n")
		if b := next(t, w); !slices.Equal(b.Paths, []string{"content/a/2022/budget/01.md"}) {
			t.Errorf("poll %v: edit through a new link: %+v", o.Poll, b)
		}
	}
}
