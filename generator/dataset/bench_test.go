package dataset_test

import (
	"testing"

	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/dataset"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
)

// BenchmarkDownloads makes the data downloads of a synthetic site of
// 10 bodies × 2 years (40 disclosures), loaded once, as a disclosure page
// does: a CSV of every table and the JSON of every amount. One op makes
// them for all 40; SetBytes is the CSV and JSON written.
//
//	go test ./generator/dataset -run '^$' -bench Downloads -benchmem
func BenchmarkDownloads(b *testing.B) {
	src := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: 10, Years: 2, Seed: 1}, src); err != nil {
		b.Fatal(err)
	}
	site, diags := content.Load(src.FS())
	if diags.HasErrors() {
		b.Fatal(diags.Err())
	}
	var ds []*fiscal.Disclosure
	for _, body := range site.Bodies {
		ds = append(ds, body.Disclosures...)
	}
	files := func() (n int, size int64) {
		for _, d := range ds {
			for i := range dataset.TableNames(d) {
				size += int64(len(dataset.TableCSV(d.Tables[i])))
				n++
			}
			size += int64(len(dataset.JSON(d, d.DefaultTitle())))
			n++
		}
		return n, size
	}
	n, size := files()
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		files()
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/1e3/float64(len(ds)), "µs/disclosure")
	b.ReportMetric(ns/1e3/float64(n), "µs/file")
}
