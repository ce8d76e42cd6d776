package publish

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// carryPage is a page of a carried site: its HTML body, a file kept with
// it, and its date for the sitemap.
type carryPage struct {
	name, body, file string
	modified         time.Time
}

// buildCarried builds pages into a stage carrying prev over (when it is
// not nil): the pages in write (by name) are dropped and written anew,
// those in gone dropped only; the others are carried as they are.
func buildCarried(t *testing.T, prev *Stage, good map[string][]byte, pages []carryPage, write []string, gone ...carryPage) (*Stage, *MapKeeper, string) {
	t.Helper()
	sink := NewMapKeeper(good)
	s, err := NewStage(sink, Options{BaseURL: testBase, KeepLinks: true, Carry: prev})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("static/site.js", []byte("console.log(1)\n")); err != nil {
		t.Fatal(err)
	}
	for _, p := range gone {
		s.Drop(p.name)
		s.Drop(p.file)
	}
	for _, p := range pages {
		if prev != nil && !slices.Contains(write, p.name) {
			continue
		}
		s.Drop(p.name)
		s.Drop(p.file)
		if _, err := s.WriteFileKept(p.file, []byte("a,b\n1,2\n")); err != nil {
			t.Fatal(err)
		}
		if err := s.Page(Page{Name: p.name, HTML: doc(p.body), Sitemap: true, Modified: p.modified}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if len(d) == 0 {
		return s, sink, ""
	}
	return s, sink, fmt.Sprint(d)
}

// TestCarry: a stage that carries the previous build over writes only
// what it was given anew, removes what is gone, and still checks every
// link against the files as they are now: a page carried as it was breaks
// when what it links to goes.
func TestCarry(t *testing.T) {
	pages := []carryPage{
		{"a/index.html", `<main id="main"><a href="../b/#x">b 的 x</a> <a href="a.csv">表</a></main>`, "a/a.csv", time.Time{}},
		{"b/index.html", `<main id="main"><h2 id="x">x</h2><a href="b.csv">表</a></main>`, "b/b.csv", time.Time{}},
		{"c/index.html", `<main id="main"><a href="../a/">a</a> <a href="c.csv">表</a></main>`, "c/c.csv", time.Time{}},
	}
	first, sink, d := buildCarried(t, nil, nil, pages, nil)
	if d != "" || !first.ok {
		t.Fatalf("first build: %s", d)
	}
	good := sink.Files

	t.Run("nothing written anew", func(t *testing.T) {
		s, k, d := buildCarried(t, first, good, pages, nil)
		if d != "" || k.Cleared {
			t.Fatalf("problems %q, cleared %t", d, k.Cleared)
		}
		// What Finish writes is written on every build, like the static
		// file.
		if want := []string{HeadersFile, ManifestFile, "robots.txt", "sitemap.xml", "static/site.js"}; !slices.Equal(slices.Sorted(slices.Values(k.Touched)), want) {
			t.Errorf("touched %v, want %v", k.Touched, want)
		}
		if !maps.EqualFunc(k.Files, good, bytes.Equal) || s.Count() != first.Count() {
			t.Errorf("files differ from the first build's")
		}
	})
	t.Run("a page written anew", func(t *testing.T) {
		next := slices.Clone(pages)
		next[2].body = strings.Replace(next[2].body, ">a<", ">页面 a<", 1)
		_, k, d := buildCarried(t, first, good, next, []string{"c/index.html"})
		if d != "" {
			t.Fatal(d)
		}
		if !slices.Contains(k.Touched, "c/index.html") || slices.Contains(k.Touched, "a/index.html") {
			t.Errorf("touched %v", k.Touched)
		}
		if !strings.Contains(string(k.Files["c/index.html"]), "页面 a") {
			t.Errorf("c not written anew")
		}
	})
	t.Run("a page written anew with another date", func(t *testing.T) {
		next := slices.Clone(pages)
		next[2].modified = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		_, k, d := buildCarried(t, first, good, next, []string{"c/index.html"})
		if d != "" {
			t.Fatal(d)
		}
		if !strings.Contains(string(k.Files["sitemap.xml"]), "<lastmod>2025-03-01</lastmod>") {
			t.Errorf("sitemap.xml has not the new date:\n%s", k.Files["sitemap.xml"])
		}
	})
	t.Run("an anchor a carried page links to goes", func(t *testing.T) {
		next := slices.Clone(pages)
		next[1].body = strings.Replace(next[1].body, `id="x"`, `id="y"`, 1)
		_, _, d := buildCarried(t, first, good, next, []string{"b/index.html"})
		if !strings.Contains(d, "锚点 #x 在页面 b/index.html 上不存在") || !strings.Contains(d, "a/index.html") {
			t.Errorf("got %q, want the carried page's broken anchor", d)
		}
	})
	t.Run("a page a carried page links to goes", func(t *testing.T) {
		s, k, d := buildCarried(t, first, good, pages[:2], nil, pages[2])
		if d != "" {
			t.Fatal(d) // nothing links to c
		}
		_, page := k.Files["c/index.html"]
		_, csv := k.Files["c/c.csv"]
		if page || csv || !slices.Contains(k.Touched, "c/c.csv") {
			t.Errorf("c not removed: touched %v", k.Touched)
		}
		if s.Count() != first.Count()-2 {
			t.Errorf("%d files, want %d", s.Count(), first.Count()-2)
		}
		_, _, d = buildCarried(t, first, good, pages[1:], nil, pages[0])
		if !strings.Contains(d, "c/index.html") || !strings.Contains(d, "a/index.html 不存在") {
			t.Errorf("got %q, want c's broken link to a", d)
		}
	})
	t.Run("a page written anew with a broken link", func(t *testing.T) {
		next := slices.Clone(pages)
		next[2].body += `<a href="../nothing/">无</a>`
		s, _, d := buildCarried(t, first, good, next, []string{"c/index.html"})
		if !strings.Contains(d, "nothing/index.html 不存在") || s.ok {
			t.Fatalf("got %q", d)
		}
		// A build that failed is not carried over: the next one starts
		// afresh from the last good one.
		_, k, d := buildCarried(t, s, good, pages, nil)
		if !k.Cleared || d != "" {
			t.Errorf("carried a failed build over (%q)", d)
		}
	})
	t.Run("a page written again without being dropped", func(t *testing.T) {
		s, err := NewStage(NewMapKeeper(good), Options{BaseURL: testBase, KeepLinks: true, Carry: first})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Page(Page{Name: "a/index.html", HTML: doc(pages[0].body)}); err == nil || !strings.Contains(err.Error(), "written twice") {
			t.Errorf("got %v, want written twice", err)
		}
	})
	t.Run("a name the stage wrote itself is not dropped", func(t *testing.T) {
		// Drop is for what the stage carried: a file this build wrote, even
		// with the very bytes the last build had, stays in its manifest.
		s, err := NewStage(NewMapKeeper(good), Options{BaseURL: testBase, KeepLinks: true, Carry: first})
		if err != nil {
			t.Fatal(err)
		}
		s.Drop("a/a.csv")
		if _, err := s.WriteFileKept("a/a.csv", []byte("a,b\n1,2\n")); err != nil {
			t.Fatal(err)
		}
		n := s.Count()
		s.Drop("a/a.csv")
		if s.Count() != n {
			t.Errorf("dropped a file the stage had written: %d files, want %d", s.Count(), n)
		}
		s.Drop("b/b.csv")
		if s.Count() != n-1 {
			t.Errorf("kept a carried file it was asked to drop: %d files, want %d", s.Count(), n-1)
		}
	})
	t.Run("other options start afresh", func(t *testing.T) {
		sink := NewMapKeeper(good)
		s, err := NewStage(sink, Options{BaseURL: testBase, KeepLinks: true, Minify: true, Carry: first})
		if err != nil {
			t.Fatal(err)
		}
		if s.Carries() || !sink.Cleared {
			t.Errorf("carried over a build with other options")
		}
	})
}
