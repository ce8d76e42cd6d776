package publish

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkPage measures the stage's work on the example's disclosure page
// (31 KB): checking alone, with minifying, and with precompressing too.
//
//	go test ./generator/publish -run XXX -bench Page -count 5
func BenchmarkPage(b *testing.B) {
	html, err := os.ReadFile("../testdata/golden/panjin-zhcs__2020__budget__index.html")
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range []Options{{}, {Minify: true}, {Minify: true, Precompress: true}} {
		b.Run(fmt.Sprintf("minify=%v/precompress=%v", o.Minify, o.Precompress), func(b *testing.B) {
			b.SetBytes(int64(len(html)))
			b.ReportAllocs()
			i := 0
			s, err := NewStage(NewMapSink(), o)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				i++
				if err := s.Page(Page{Name: fmt.Sprintf("p%d/index.html", i), HTML: html}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMinify minifies a build's text files through the stage's
// minifier, as the publish stage does with Minify on (pages through
// minifyPage): the example's
// disclosure page (55 KB, 5 inline SVG charts), a synthetic disclosure page
// (86 KB, 7 charts; both as rendered, from the golden files), the theme's
// stylesheet and its two scripts. SetBytes is the input.
//
//	go test ./generator/publish -run '^$' -bench Minify -benchmem
func BenchmarkMinify(b *testing.B) {
	s, err := NewStage(NewMapSink(), Options{Minify: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, file string }{
		{"page=example", "../testdata/golden/panjin-zhcs__2020__budget__index.html"},
		{"page=synthetic", "../testdata/golden/demo-00005-cgj__2023__final__index.html"},
		{"css=site", "../../static/css/site.css"},
		{"js=search", "../../static/js/search.js"},
		{"js=glossary", "../../static/js/glossary.js"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				b.Fatal(err)
			}
			minify := func() []byte { return s.minify(tc.file, data) }
			if strings.HasSuffix(tc.file, ".html") {
				// As a page is published: its tables and charts found
				// by the page check's scan, compacted, spliced in. The
				// stage's path data cache is warm after the first round,
				// as in a build, whose charts share most of their paths.
				regions := scanTags(data, func(*tag) {}, nil)
				minify = func() []byte {
					out, err := minifyPage(s.min, data, regions, &s.paths)
					if err != nil {
						b.Fatal(err)
					}
					return out
				}
			}
			if out := minify(); len(out) >= len(data) {
				b.Fatalf("%s: minified %d bytes to %d", tc.file, len(data), len(out))
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				minify()
			}
		})
	}
}
