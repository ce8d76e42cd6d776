package check_test

import (
	"fmt"
	"testing"

	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
)

// BenchmarkCheck checks synthetic sites of 1,000 and 10,000 disclosures
// (every standard table, 4 Markdown sections each), loaded once; the time
// per op is the whole site's check. README.md quotes the figures:
//
//	go test ./generator/check -run XXX -bench Check -benchtime 5x
func BenchmarkCheck(b *testing.B) {
	for _, bodies := range []int{100, 1000} {
		n := bodies * 5 * 2
		b.Run(fmt.Sprintf("disclosures=%d", n), func(b *testing.B) {
			sink := publish.NewMapSink()
			if err := synth.Generate(synth.Options{Bodies: bodies, Years: 5, Seed: 1}, sink); err != nil {
				b.Fatal(err)
			}
			fsys := sink.FS()
			site, diags := content.Load(fsys)
			if diags.HasErrors() {
				b.Fatal(diags.Err())
			}
			c, cd := check.New(fsys, site)
			if cd.HasErrors() {
				b.Fatal(cd.Err())
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if f := c.Check(site); len(f) > 0 {
					b.Fatalf("synthetic site has findings: %v", f[0])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/disclosure")
		})
	}
}
