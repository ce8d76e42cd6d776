package publish

import (
	"fmt"
	"os"
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
