package publish

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, s Sink, files map[string]string) {
	t.Helper()
	for name, data := range files {
		if err := s.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
}

func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	return out
}

func TestDirSinkCommit(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	write(t, s, map[string]string{"index.html": "home", "a/index.html": "a", "old/index.html": "old"})
	if st, err := s.Commit(nil); err != nil || st.Written != 3 {
		t.Fatalf("first commit: %+v %v", st, err)
	}
	past := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, "index.html"), past, past)

	s, _ = OpenDir(dir)
	write(t, s, map[string]string{"index.html": "home", "a/index.html": "a2", "b.css": "b"})
	st, err := s.Commit(func(name string) bool { return name == "keep.txt" })
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Written: 2, Unchanged: 1, Removed: 1}) {
		t.Errorf("stats = %+v", st)
	}
	if got := tree(t, dir); len(got) != 3 || got["a/index.html"] != "a2" || got["b.css"] != "b" {
		t.Errorf("tree = %v", got)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "index.html")); !fi.ModTime().Equal(past) {
		t.Error("an unchanged file was rewritten")
	}
	if _, err := os.Stat(filepath.Join(dir, "old")); !os.IsNotExist(err) {
		t.Error("the empty folder of a removed page stayed")
	}
}

// The output holds exactly the site: an empty folder someone made goes
// even when no file does; one that holds only a dot name stays. A build
// that changes nothing stages nothing.
func TestDirSinkEmptyFolders(t *testing.T) {
	dir := t.TempDir()
	s, _ := OpenDir(dir)
	write(t, s, map[string]string{"index.html": "home"})
	if _, err := s.Commit(nil); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "empty", "deeper"), 0o755)
	os.MkdirAll(filepath.Join(dir, "kept"), 0o755)
	os.WriteFile(filepath.Join(dir, "kept", ".keep"), nil, 0o644)
	s, _ = OpenDir(dir)
	write(t, s, map[string]string{"index.html": "home"})
	if staged, _ := filepath.Glob(filepath.Join(dir, stagingPrefix+"*")); len(staged) > 0 {
		t.Errorf("a build that changed nothing made %v (a read-only output would fail)", staged)
	}
	if st, err := s.Commit(nil); err != nil || st != (Stats{Unchanged: 1}) {
		t.Fatalf("commit: %+v %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "empty")); !os.IsNotExist(err) {
		t.Error("an empty folder stayed")
	}
	if _, err := os.Stat(filepath.Join(dir, "kept", ".keep")); err != nil {
		t.Error("a folder with a dot file went")
	}
}

// Names that start with a dot are someone else's: a deploy repository's
// .git, .well-known. A build neither writes nor removes them.
func TestDirSinkLeavesDotNames(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".git", "objects"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "objects", "ab"), []byte("git"), 0o644)
	os.MkdirAll(filepath.Join(dir, "a", ".well-known"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", ".well-known", "x"), []byte("acme"), 0o644)
	os.WriteFile(filepath.Join(dir, ".htaccess"), []byte("ht"), 0o644)
	os.WriteFile(filepath.Join(dir, "old.html"), []byte("old"), 0o644)
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{".htaccess", "a/.b/c.html"} {
		if err := s.WriteFile(bad, nil); err == nil {
			t.Errorf("wrote %q", bad)
		}
	}
	write(t, s, map[string]string{"index.html": "home"})
	st, err := s.Commit(nil)
	if err != nil || st.Removed != 1 {
		t.Fatalf("commit: %+v %v", st, err)
	}
	want := map[string]string{"index.html": "home", ".git/objects/ab": "git", "a/.well-known/x": "acme", ".htaccess": "ht"}
	if got := tree(t, dir); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tree = %v, want %v", got, want)
	}
}

func TestDirSinkAbort(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("old"), 0o644)
	s, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Made() {
		t.Error("Made reports a folder that was there")
	}
	write(t, s, map[string]string{"index.html": "new", "x/y.html": "y"})
	s.Abort()
	if got := tree(t, dir); len(got) != 1 || got["index.html"] != "old" {
		t.Errorf("abort left %v", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("abort left the staging folder: %v", entries)
	}
}

// A failed build into a folder that was not there leaves none: an empty
// output folder made inside a site's content/ would be read as a body.
func TestDirSinkAbortRemovesWhatItMade(t *testing.T) {
	base := t.TempDir()
	s, err := OpenDir(filepath.Join(base, "a", "b", "out"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Made() {
		t.Error("Made does not report the folder OpenDir made")
	}
	write(t, s, map[string]string{"index.html": "new"})
	s.Abort()
	if entries, _ := os.ReadDir(base); len(entries) != 0 {
		t.Errorf("abort left %v", entries)
	}

	// A folder that was there stays, and so does one given a file meanwhile.
	os.Mkdir(filepath.Join(base, "a"), 0o755)
	s, _ = OpenDir(filepath.Join(base, "a", "b", "out"))
	os.WriteFile(filepath.Join(base, "a", "b", "note.txt"), []byte("x"), 0o644)
	s.Abort()
	if got := tree(t, base); len(got) != 1 || got["a/b/note.txt"] != "x" {
		t.Errorf("abort left %v", got)
	}
	if _, err := os.Stat(filepath.Join(base, "a", "b", "out")); !os.IsNotExist(err) {
		t.Error("abort left the empty output folder")
	}
}

func TestForeignFile(t *testing.T) {
	ours, _ := encodeManifest(1, "https://yjsgk.example.gov.cn/", 1, slices.Values([]Entry{{Path: "index.html"}}), nil)
	for _, tc := range []struct {
		files    []string
		manifest string
		want     string
	}{
		{nil, "", ""},
		{[]string{stagingPrefix + "-12", ".git"}, "", ""},
		{[]string{"index.html", ManifestFile}, string(ours), ""},
		{[]string{"notes.docx"}, "", "notes.docx"},
		{[]string{stagingPrefix + "-12", "z.txt"}, "", "z.txt"},
		// A web app's manifest.json is not a build's.
		{[]string{"app.js", ManifestFile}, `{"name":"My PWA"}`, "app.js"},
		{[]string{ManifestFile}, `{}`, ManifestFile},
	} {
		dir := t.TempDir()
		for _, f := range tc.files {
			data := ""
			if f == ManifestFile {
				data = tc.manifest
			}
			os.WriteFile(filepath.Join(dir, f), []byte(data), 0o644)
		}
		if got := ForeignFile(dir); got != tc.want {
			t.Errorf("ForeignFile(%v) = %q, want %q", tc.files, got, tc.want)
		}
	}
	if got := ForeignFile(filepath.Join(t.TempDir(), "absent")); got != "" {
		t.Errorf("ForeignFile(absent) = %q", got)
	}
}

func TestSinkNames(t *testing.T) {
	for _, s := range []Sink{NewMapSink(), mustOpen(t)} {
		for _, bad := range []string{"../x", "/abs", "a/../../b", "", ".", `a\b`, "a//b"} {
			if err := s.WriteFile(bad, nil); err == nil {
				t.Errorf("%T accepted %q", s, bad)
			}
		}
		if err := s.WriteFile("ok.html", nil); err != nil {
			t.Error(err)
		}
		if err := s.WriteFile("ok.html", nil); err == nil {
			t.Errorf("%T accepted a file written twice", s)
		}
	}
}

func mustOpen(t *testing.T) *DirSink {
	s, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Abort)
	return s
}

func TestMapSinkNames(t *testing.T) {
	m := NewMapSink()
	write(t, m, map[string]string{"b": "", "a": ""})
	if !slices.Equal(m.Names(), []string{"a", "b"}) {
		t.Errorf("names = %v", m.Names())
	}
}

// TestDirSinkSame: a file is left alone only when its bytes are exactly
// the new ones, however long (it is compared in pieces).
func TestDirSinkSame(t *testing.T) {
	long := bytes.Repeat([]byte("预算"), 50000) // 300 KB: several pieces
	changed := bytes.Clone(long)
	changed[len(changed)-1] ^= 1
	tests := []struct {
		name      string
		old, new  []byte
		unchanged bool
	}{
		{"same", []byte("<p>1</p>"), []byte("<p>1</p>"), true},
		{"empty", nil, []byte{}, true},
		{"last byte", []byte("<p>1</p>"), []byte("<p>1</b>"), false},
		{"longer", []byte("<p>1</p>"), []byte("<p>1</p>\n"), false},
		{"shorter", []byte("<p>1</p>\n"), []byte("<p>1</p>"), false},
		{"long same", long, bytes.Clone(long), true},
		{"long, last byte", long, changed, false},
	}
	// At the top and in a folder: the sink notes which folders the output
	// lacks, and must still compare the files of those it has.
	for _, name := range []string{"a.html", "年度/2024/a.html"} {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, tt.old, 0o644); err != nil {
					t.Fatal(err)
				}
				s, err := OpenDir(dir)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.WriteFile(name, tt.new); err != nil {
					t.Fatal(err)
				}
				// A file in a folder the output does not have is new.
				if err := s.WriteFile("新/"+name, tt.new); err != nil {
					t.Fatal(err)
				}
				st, err := s.Commit(nil)
				if err != nil {
					t.Fatal(err)
				}
				if got := st.Unchanged == 1; got != tt.unchanged {
					t.Errorf("unchanged = %t, want %t (%+v)", got, tt.unchanged, st)
				}
				if want := map[bool]int{true: 1, false: 2}[tt.unchanged]; st.Written != want {
					t.Errorf("written = %d, want %d (%+v)", st.Written, want, st)
				}
				for _, n := range []string{name, "新/" + name} {
					if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n))); !bytes.Equal(got, tt.new) {
						t.Errorf("%s does not hold the new bytes", n)
					}
				}
			})
		}
	}
}

// TestDirSinkFolders: new folders are moved into place whole, new files
// join folders that are there, and a file and a folder may trade places.
func TestDirSinkFolders(t *testing.T) {
	dir := t.TempDir()
	builds := []map[string]string{
		{"index.html": "home", "x/y/z/a.html": "a", "x/y/b.csv": "b", "x/c": "c", "w/d.txt": "d"},
		// New files in folders that are there, and a new folder in one.
		{"index.html": "home", "x/y/z/a.html": "a", "x/y/z/a2.html": "a2", "x/y/b.csv": "b", "x/y/n/e.html": "e", "x/c": "c", "w/d.txt": "d"},
		// A file becomes a folder, a folder a file.
		{"index.html": "home", "x/y/z": "z", "x/y/b.csv": "b", "x/c/index.html": "c", "w/d.txt": "d2"},
	}
	for i, files := range builds {
		s, err := OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		write(t, s, files)
		st, err := s.Commit(nil)
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
		if got := tree(t, dir); !maps.Equal(got, files) {
			t.Errorf("build %d: tree = %v, want %v", i, got, files)
		}
		if st.Written+st.Unchanged != len(files) {
			t.Errorf("build %d: stats %+v for %d files", i, st, len(files))
		}
	}
}

// TestDirSinkFresh: a folder that holds nothing but dot names is fresh, and
// a commit into it leaves the site and those names without walking it for
// stale files; any other folder is walked.
func TestDirSinkFresh(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		fresh bool
	}{
		{"missing", nil, true},
		{"deploy repository", map[string]string{".git/HEAD": "ref"}, true},
		{"old site", map[string]string{".git/HEAD": "ref", "old.html": "old"}, false},
		{"folder", map[string]string{"a/.keep": ""}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			for name, data := range tc.files {
				os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
				os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
			}
			s, err := OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if s.fresh != tc.fresh {
				t.Errorf("fresh = %v, want %v", s.fresh, tc.fresh)
			}
			write(t, s, map[string]string{"index.html": "home", "a/b/c.csv": "1"})
			if _, err := s.Commit(nil); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"index.html": "home", "a/b/c.csv": "1"}
			for name, data := range tc.files {
				if strings.HasPrefix(name, ".") || strings.Contains(name, "/.") {
					want[name] = data // someone else's
				}
			}
			if got := tree(t, dir); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("tree = %v, want %v", got, want)
			}
		})
	}
}
