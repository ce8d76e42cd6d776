package content

import (
	"testing"

	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
)

// BenchmarkLoad measures loading a synthetic site of 200 disclosures held
// in memory: reading and strictly decoding every data.toml and section.
func BenchmarkLoad(b *testing.B) {
	src := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: 50, Years: 2, Seed: 1}, src); err != nil {
		b.Fatal(err)
	}
	fsys := src.FS()
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Load(fsys); diags.HasErrors() {
			b.Fatal(diags.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/200, "µs/disclosure")
}
