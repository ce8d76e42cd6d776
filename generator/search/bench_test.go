package search_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/search"
)

// examplePages builds the repository's example site and returns its
// disclosure pages' HTML by path.
func examplePages(tb testing.TB) map[string][]byte {
	tb.Helper()
	sink := publish.NewMapSink()
	if _, err := generator.Build(context.Background(), generator.Config{Site: os.DirFS("../.."), Theme: disclose.Theme(), Sink: sink}); err != nil {
		tb.Fatal(err)
	}
	pages := map[string][]byte{}
	for name, data := range sink.Files {
		if strings.Count(name, "/") == 3 && strings.HasSuffix(name, "/index.html") {
			pages[strings.TrimSuffix(name, "index.html")] = data
		}
	}
	return pages
}

type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// BenchmarkAdd indexes the example's five disclosure pages (extraction,
// tokenization, postings and parts): the cost the search index adds to
// every page of a build.
//
//	go test ./generator/search -run '^$' -bench Add -benchmem
func BenchmarkAdd(b *testing.B) {
	pages := examplePages(b)
	var size int64
	for _, p := range pages {
		size += int64(len(p))
	}
	b.SetBytes(size)
	ix := search.New(discard{}, search.Options{})
	n := 0
	for b.Loop() {
		n++
		for path, p := range pages {
			if err := ix.Add(search.Page{Path: fmt.Sprint(path, n), Title: path}, p); err != nil {
				b.Fatal(err)
			}
		}
	}
}
