package generator_test

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"testing"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/publish"
)

var benchSite = flag.String("site", "", "site folder for BenchmarkRebuildOneSection (e.g. one written by cmd/synth); default the example")

// BenchmarkRebuildOneSection measures a Builder's rebuild after one
// Markdown section changed: what disclose serve does on a save, without
// the watcher and the server. The sink keeps files from build to build,
// as the preview's does, so each build carries the last one over.
//
//	go test ./generator -run '^$' -bench RebuildOneSection -site /tmp/synth5k
func BenchmarkRebuildOneSection(b *testing.B) {
	src := *benchSite
	if src == "" {
		src = ".."
	}
	dir := b.TempDir()
	if err := os.CopyFS(dir+"/content", os.DirFS(src+"/content")); err != nil {
		b.Fatal(err)
	}
	sections, _ := fs.Glob(os.DirFS(dir), "content/*/*/*/*.md")
	file := dir + "/" + sections[0]
	original, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	bld := generator.NewBuilder(generator.Config{Site: os.DirFS(dir), Theme: disclose.Theme(), Preview: true})
	kept := publish.NewMapKeeper(nil)
	if _, err := bld.Build(context.Background(), kept); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := os.WriteFile(file, fmt.Appendf(append([]byte(nil), original...), "\n第 %d 次修改。\n", i), 0o644); err != nil {
			b.Fatal(err)
		}
		bld.Changed(sections[0])
		res, err := bld.Build(context.Background(), kept)
		if err != nil {
			b.Fatal(err)
		}
		if res.Rendered != 1 {
			b.Fatalf("rendered %d pages", res.Rendered)
		}
	}
}
