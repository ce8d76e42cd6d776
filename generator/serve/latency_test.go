package serve

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"time"
)

var latencySite = flag.String("site", "", "site folder BenchmarkSaveToReload edits (a copy of it), e.g. one written by cmd/synth; default the example")

// BenchmarkSaveToReload measures what an editor waits for: from saving
// one Markdown section to the reload event reaching the page that shows
// it, through the watcher's quiet window, the incremental build and the
// event stream. Each iteration is one save; the median, 90th percentile
// and worst are reported, and the median time until the build was
// published (the rest is the event reaching the page). Run it as
//
//	go run ./cmd/synth --bodies 1250 --years 2 --out /tmp/synth5k
//	go test ./generator/serve -run '^$' -bench SaveToReload -benchtime 20x -site /tmp/synth5k
func BenchmarkSaveToReload(b *testing.B) {
	dir := b.TempDir()
	src := *latencySite
	if src == "" {
		src = "../.."
	}
	if err := os.CopyFS(path.Join(dir, "content"), os.DirFS(path.Join(src, "content"))); err != nil {
		b.Fatal(err)
	}
	// The first disclosure's first section.
	sections, _ := fs.Glob(os.DirFS(dir), "content/*/*/*/*.md")
	if len(sections) == 0 {
		b.Fatal("no section in the site")
	}
	file := sections[0]
	page := strings.TrimPrefix(path.Dir(file), "content/") + "/index.html"
	original, err := os.ReadFile(path.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	loadStart := time.Now()
	p := startPreview(b, dir)
	b.Logf("first build of %s: %v", src, time.Since(loadStart).Round(time.Millisecond))
	url := strings.TrimSuffix(p.url, "/")
	_, build := p.get(b, "/"+strings.TrimSuffix(page, "index.html"))

	var took, builds []time.Duration
	b.ResetTimer()
	for i := range b.N {
		s := listen(b, url, build, page)
		s.next(b) // where the page stands
		text := fmt.Appendf(append([]byte(nil), original...), "\n第 %d 次修改。\n", i)
		start := time.Now()
		if err := os.WriteFile(path.Join(dir, file), text, 0o644); err != nil {
			b.Fatal(err)
		}
		e := s.next(b)
		took = append(took, time.Since(start))
		if !e.Reload {
			b.Fatalf("edit %d: no reload: %+v", i, e)
		}
		b.StopTimer()
		s.resp.Body.Close()
		<-p.built
		builds = append(builds, (<-p.builtAt).Sub(start))
		_, build = p.get(b, "/"+strings.TrimSuffix(page, "index.html"))
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(took[len(took)/2]), "ms-median")
	b.ReportMetric(ms(took[len(took)*9/10]), "ms-p90")
	b.ReportMetric(ms(took[len(took)-1]), "ms-max")
	slices.Sort(builds)
	b.ReportMetric(ms(builds[len(builds)/2]), "ms-to-published-median")
	b.ReportMetric(0, "ns/op")
}
