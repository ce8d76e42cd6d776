package search_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/search"
	"github.com/disclose/disclose/generator/synth"
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
	b.ReportAllocs()
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

// synthPages builds a synthetic site of 100 bodies × 5 years (1,000
// disclosures) into memory, once per test binary, and returns its
// disclosure pages as rendered (not minified), in path order.
var synthPages = sync.OnceValues(func() ([]search.Page, [][]byte) {
	src := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: 100, Years: 5, Seed: 1}, src); err != nil {
		panic(err)
	}
	sink := publish.NewMapSink()
	if _, err := generator.Build(context.Background(), generator.Config{Site: src.FS(), Theme: disclose.Theme(), Sink: sink}); err != nil {
		panic(err)
	}
	var names []string
	for name := range sink.Files {
		if strings.Count(name, "/") == 3 && strings.HasSuffix(name, "/index.html") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var pages []search.Page
	var html [][]byte
	for _, name := range names {
		parts := strings.Split(name, "/") // body/year/kind/index.html
		year, _ := strconv.Atoi(parts[1])
		kindName := map[string]string{"budget": "预算", "final": "决算"}[parts[2]]
		pages = append(pages, search.Page{Path: strings.TrimSuffix(name, "index.html"), Title: parts[0] + parts[1] + kindName,
			Body: parts[0], BodySlug: parts[0], Year: year, Kind: parts[2], KindName: kindName, Example: true})
		html = append(html, sink.Files[name])
	}
	return pages, html
})

// countSink counts the bytes of the files written to it.
type countSink struct {
	mu    sync.Mutex
	files int
	bytes int64
}

func (c *countSink) WriteFile(_ string, data []byte) error {
	c.mu.Lock()
	c.files++
	c.bytes += int64(len(data))
	c.mu.Unlock()
	return nil
}

// BenchmarkWrite writes the index of the first 100 and of all 1,000
// disclosure pages of a synthetic site (the pages are built and prepared
// once, outside the timing: see BenchmarkAdd for that cost): each page's
// text parts as it is added (AddPrepared), then Write's merge of the
// postings into buckets and blocks, the directories and the manifest.
// SetBytes is the index written.
//
//	go test ./generator/search -run '^$' -bench Write -benchmem
func BenchmarkWrite(b *testing.B) {
	pages, html := synthPages()
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			prep := search.New(discard{}, search.Options{})
			pps := make([]*search.Prepared, n)
			for i := range n {
				var err error
				if pps[i], err = prep.Prepare(pages[i], html[i]); err != nil {
					b.Fatal(err)
				}
			}
			write := func() (*countSink, search.Stats) {
				sink := &countSink{}
				ix := search.New(sink, search.Options{})
				for _, pp := range pps {
					if err := ix.AddPrepared(pp); err != nil {
						b.Fatal(err)
					}
				}
				st, err := ix.Write()
				if err != nil {
					b.Fatal(err)
				}
				return sink, st
			}
			sink, st := write()
			b.SetBytes(sink.bytes)
			b.ReportAllocs()
			for b.Loop() {
				write()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N)/float64(n), "µs/page")
			b.ReportMetric(float64(st.Files), "files/op")
		})
	}
}
