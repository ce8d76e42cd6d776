package generator_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
	b.ReportAllocs()
	for b.Loop() {
		sink := publish.NewMapSink()
		if _, err := generator.Build(context.Background(), generator.Config{Site: src.FS(), Theme: disclose.Theme(), Sink: sink, Minify: true, Precompress: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(160, "disclosures/op")
}

var benchScale = flag.String("scale", "1000", "comma-separated site sizes in disclosures (multiples of 10) that BenchmarkBuildScale builds, e.g. 1000,10000")

// BenchmarkBuildScale builds synthetic sites of 1,000 and 10,000
// disclosures (N/10 bodies × 5 years × budget and final account, every
// standard table, charts, data downloads, search index) as `disclose build`
// does: the site read from a folder (written by synth.Generate before the
// timing), the output written through a publish.DirSink into an empty
// folder and committed, minified, not precompressed. Each op is one clean
// build; the output is removed outside the timing.
//
// Only sizes listed by -scale run (default 1000; the others skip): the
// 10,000 build takes minutes on 2 cores and writes 2.3 GB, so give it one
// iteration. Both folders are under b.TempDir(), that is $TMPDIR: point it
// at a tmpfs to leave the disk out.
//
//	TMPDIR=/dev/shm go test ./generator -run '^$' -bench BuildScale -benchtime 3x
//	TMPDIR=/dev/shm go test ./generator -run '^$' -bench BuildScale/disclosures=10000 -benchtime 1x -scale 10000 -timeout 1h
func BenchmarkBuildScale(b *testing.B) {
	run := map[int]bool{}
	sizes := []int{1000, 10000}
	for _, f := range strings.Split(*benchScale, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 10 || n%10 != 0 {
			b.Fatalf("-scale %q: want disclosure counts that are multiples of 10", *benchScale)
		}
		run[n] = true
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
	}
	slices.Sort(sizes)
	for _, n := range sizes {
		b.Run(fmt.Sprintf("disclosures=%d", n), func(b *testing.B) {
			if !run[n] {
				b.Skipf("run with -scale %d", n)
			}
			tmp := b.TempDir()
			site := filepath.Join(tmp, "site")
			src, err := publish.OpenDir(site)
			if err != nil {
				b.Fatal(err)
			}
			if err := synth.Generate(synth.Options{Bodies: n / 10, Years: 5, Seed: 1}, src); err != nil {
				b.Fatal(err)
			}
			if _, err := src.Commit(nil); err != nil {
				b.Fatal(err)
			}
			var res generator.Result
			var st publish.Stats
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				out := filepath.Join(tmp, fmt.Sprint("public", i))
				sink, err := publish.OpenDir(out)
				if err != nil {
					b.Fatal(err)
				}
				res, err = generator.Build(context.Background(), generator.Config{Site: os.DirFS(site), Theme: disclose.Theme(),
					Sink: sink, Minify: true, Previous: os.DirFS(out)})
				if err != nil {
					sink.Abort()
					b.Fatal(err)
				}
				retained := map[string]bool{}
				for _, name := range res.Retained {
					retained[name] = true
				}
				if st, err = sink.Commit(func(name string) bool { return retained[name] }); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			if st.Written != res.Files {
				b.Fatalf("wrote %d files of %d", st.Written, res.Files)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N)/float64(n), "µs/disclosure")
			b.ReportMetric(float64(res.Pages), "pages/op")
			b.ReportMetric(float64(res.Files), "files/op")
		})
	}
}
