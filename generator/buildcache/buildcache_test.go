package buildcache

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

// fakeBuild reads a site the way a build does: files, a folder's names, a
// file's information, a file it looks for and does not find, a file it
// opens. It writes one output file.
func fakeBuild(t *testing.T, r *Recorder, out string) {
	t.Helper()
	if _, err := fs.ReadFile(r, "content/site.toml"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadDir(r, "content/body"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(r, "content/body/data.toml"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(r, "layouts/page.html"); err == nil {
		t.Fatal("layouts/page.html exists")
	}
	f, err := r.Open("static/a.css")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("<p>hi"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFresh: a record is fresh until anything the build read, or anything
// it wrote, changes; each change below makes it stale.
func TestFresh(t *testing.T) {
	later := time.Now().Add(time.Hour)
	tests := []struct {
		name   string
		change func(t *testing.T, src, out string)
		key    byte
		fresh  bool
	}{
		{"nothing", func(*testing.T, string, string) {}, 0, true},
		{"a file the build did not read", func(t *testing.T, src, _ string) { write(t, filepath.Join(src, "notes.txt"), "x") }, 0, true},
		{"another program or options", func(*testing.T, string, string) {}, 1, false},
		{"a file read", func(t *testing.T, src, _ string) { write(t, filepath.Join(src, "content/site.toml"), "title = 'y'") }, 0, false},
		{"same bytes written again", func(t *testing.T, src, _ string) { write(t, filepath.Join(src, "content/site.toml"), "title = 'x'") }, 0, true},
		{"a file opened", func(t *testing.T, src, _ string) { write(t, filepath.Join(src, "static/a.css"), "p{}") }, 0, false},
		{"a new file in a folder listed", func(t *testing.T, src, _ string) { write(t, filepath.Join(src, "content/body/2.md"), "") }, 0, false},
		{"a file looked at touched", func(t *testing.T, src, _ string) {
			if err := os.Chtimes(filepath.Join(src, "content/body/data.toml"), later, later); err != nil {
				t.Fatal(err)
			}
		}, 0, false},
		{"a file looked for now there", func(t *testing.T, src, _ string) { write(t, filepath.Join(src, "layouts/page.html"), "") }, 0, false},
		{"an output file changed", func(t *testing.T, _, out string) { write(t, filepath.Join(out, "index.html"), "<p>ho") }, 0, false},
		{"an output file touched", func(t *testing.T, _, out string) {
			if err := os.Chtimes(filepath.Join(out, "index.html"), later, later); err != nil {
				t.Fatal(err)
			}
		}, 0, false},
		{"an output file removed", func(t *testing.T, _, out string) { os.Remove(filepath.Join(out, "index.html")) }, 0, false},
		{"an output file added", func(t *testing.T, _, out string) { write(t, filepath.Join(out, "stray.html"), "") }, 0, false},
		// A build leaves no empty folder: one made by hand needs a build.
		{"an empty output folder added", func(t *testing.T, _, out string) { os.Mkdir(filepath.Join(out, "empty"), 0o755) }, 0, false},
		// Dot names are the deployer's: the build leaves them alone.
		{"a commit in a deploy repository", func(t *testing.T, _, out string) { write(t, filepath.Join(out, ".git/HEAD"), "ref: x") }, 0, true},
		{"a .htaccess added", func(t *testing.T, _, out string) { write(t, filepath.Join(out, ".htaccess"), "x") }, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, out, cdir := t.TempDir(), t.TempDir(), t.TempDir()
			write(t, filepath.Join(src, "content/site.toml"), "title = 'x'")
			write(t, filepath.Join(src, "content/body/data.toml"), "a = 1")
			write(t, filepath.Join(src, "content/body/1.md"), "# 1")
			write(t, filepath.Join(src, "static/a.css"), "a{}")
			r := NewRecorder(os.DirFS(src))
			fakeBuild(t, r, out)
			outputs, err := Snapshot(out)
			if err != nil {
				t.Fatal(err)
			}
			c := Open(cdir)
			key := [32]byte{7}
			if err := c.Store(out, &Record{Key: key, Inputs: r.Inputs(), Outputs: outputs, Report: []byte("report")}); err != nil {
				t.Fatal(err)
			}
			tt.change(t, src, out)
			key[1] = tt.key
			rec := c.Load(out)
			if rec == nil || string(rec.Report) != "report" {
				t.Fatalf("record not loaded: %+v", rec)
			}
			if got := rec.Fresh(key, os.DirFS(src), out); got != tt.fresh {
				t.Errorf("Fresh = %t, want %t", got, tt.fresh)
			}
		})
	}
}

// TestRecordPerOutput: each output folder has its own record; Forget
// removes one; an unreadable record is no record.
func TestRecordPerOutput(t *testing.T) {
	c := Open(t.TempDir())
	a, b := t.TempDir(), t.TempDir()
	if err := c.Store(a, &Record{Report: []byte("a")}); err != nil {
		t.Fatal(err)
	}
	if c.Load(b) != nil {
		t.Error("b has a's record")
	}
	if rec := c.Load(a); rec == nil || string(rec.Report) != "a" {
		t.Errorf("a's record: %+v", rec)
	}
	c.Forget(a)
	if c.Load(a) != nil {
		t.Error("record kept after Forget")
	}
	write(t, c.file(a), "not a record")
	if c.Load(a) != nil {
		t.Error("garbage loaded as a record")
	}
}

// TestPrune: storing a record removes those neither stored nor used for
// 30 days, and keeps the others.
func TestPrune(t *testing.T) {
	c := Open(t.TempDir())
	old, used, recent, now := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	for _, out := range []string{old, used, recent} {
		if err := c.Store(out, &Record{Report: []byte(out)}); err != nil {
			t.Fatal(err)
		}
	}
	month := time.Now().Add(-31 * 24 * time.Hour)
	os.Chtimes(c.file(old), month, month)
	os.Chtimes(c.file(used), month, month)
	c.Used(used) // stored a month ago, served a build today
	week := time.Now().Add(-7 * 24 * time.Hour)
	os.Chtimes(c.file(recent), week, week)
	if err := c.Store(now, &Record{Report: []byte(now)}); err != nil {
		t.Fatal(err)
	}
	if c.Load(old) != nil {
		t.Error("a record unused for a month was kept")
	}
	if c.Load(used) == nil || c.Load(recent) == nil || c.Load(now) == nil {
		t.Error("a recent or recently used record was removed")
	}
}

// countingFS counts the files read whole through it.
type countingFS struct {
	fstest.MapFS
	reads map[string]int
}

func (c countingFS) ReadFile(name string) ([]byte, error) {
	c.reads[name]++
	return c.MapFS.ReadFile(name)
}

// TestOpenAfterRead: opening a file the build has read already (to stat it,
// or to place a problem in it) notes nothing new and does not read it
// again; opening one not read yet reads and notes it.
func TestOpenAfterRead(t *testing.T) {
	fsys := countingFS{fstest.MapFS{"a.md": {Data: []byte("甲")}, "b.md": {Data: []byte("乙")}}, map[string]int{}}
	r := NewRecorder(fsys)
	if _, err := r.ReadFile("a.md"); err != nil {
		t.Fatal(err)
	}
	// As fs.Stat does through a file system without Stat (the build's
	// overlay of site and theme).
	for _, name := range []string{"a.md", "b.md"} {
		f, err := r.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if want := map[string]int{"a.md": 1, "b.md": 1}; !maps.Equal(fsys.reads, want) {
		t.Errorf("reads %v, want %v", fsys.reads, want)
	}
	if got := len(r.Inputs()); got != 2 {
		t.Errorf("%d notes, want one per file: %v", got, r.Inputs())
	}
}
