package generator_test

import (
	"context"
	"testing"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
)

// BenchmarkBuildSynthetic builds a synthetic site of 40 bodies × 2 years
// (160 disclosures, every standard table, charts and data downloads) into
// memory as the CLI does (minified, precompressed):
// go test ./generator -run XXX -bench BuildSynthetic.
func BenchmarkBuildSynthetic(b *testing.B) {
	src := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: 40, Years: 2, Seed: 1}, src); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sink := publish.NewMapSink()
		if _, err := generator.Build(context.Background(), generator.Config{Site: src.FS(), Theme: disclose.Theme(), Sink: sink, Minify: true, Precompress: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(160, "disclosures/op")
}
