package publish_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
)

// BenchmarkDirSink writes the output of a synthetic build (10 bodies ×
// 2 years, 40 disclosures, minified as the CLI builds: pages, data
// downloads, assets, the search index; built once into memory) through a
// DirSink into a folder under b.TempDir(), and commits. write=first writes
// into an empty folder (every file staged, then renamed into place);
// write=unchanged writes the same bytes over the same output (every file
// compared with what is on disk and left alone). The commit-ms/op metric is
// the Commit's share. SetBytes is the output's size.
//
// b.TempDir() is under $TMPDIR: /tmp is on disk here, /dev/shm is tmpfs.
//
//	go test ./generator/publish -run '^$' -bench DirSink -benchmem
//	TMPDIR=/dev/shm go test ./generator/publish -run '^$' -bench DirSink -benchmem
func BenchmarkDirSink(b *testing.B) {
	src := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: 10, Years: 2, Seed: 1}, src); err != nil {
		b.Fatal(err)
	}
	out := publish.NewMapSink()
	if _, err := generator.Build(context.Background(), generator.Config{Site: src.FS(), Theme: disclose.Theme(), Sink: out, Minify: true}); err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, data := range out.Files {
		size += int64(len(data))
	}
	// write writes every file into dir and commits; it returns the time
	// the commit took.
	write := func(b *testing.B, dir string) (publish.Stats, time.Duration) {
		sink, err := publish.OpenDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		for name, data := range out.Files {
			if err := sink.WriteFile(name, data); err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		st, err := sink.Commit(nil)
		if err != nil {
			b.Fatal(err)
		}
		return st, time.Since(start)
	}
	report := func(b *testing.B, commit time.Duration) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N)/float64(len(out.Files)), "µs/file")
		b.ReportMetric(float64(commit.Nanoseconds())/1e6/float64(b.N), "commit-ms/op")
		b.ReportMetric(float64(len(out.Files)), "files/op")
	}

	b.Run("write=first", func(b *testing.B) {
		parent := b.TempDir()
		b.SetBytes(size)
		b.ReportAllocs()
		var commit time.Duration
		i := 0
		for b.Loop() {
			i++
			dir := filepath.Join(parent, fmt.Sprint(i))
			st, d := write(b, dir)
			commit += d
			if st.Written != len(out.Files) {
				b.Fatalf("wrote %d files of %d", st.Written, len(out.Files))
			}
			b.StopTimer()
			if err := os.RemoveAll(dir); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		report(b, commit)
	})
	b.Run("write=unchanged", func(b *testing.B) {
		dir := b.TempDir()
		write(b, dir)
		b.SetBytes(size)
		b.ReportAllocs()
		var commit time.Duration
		for b.Loop() {
			st, d := write(b, dir)
			commit += d
			if st.Unchanged != len(out.Files) {
				b.Fatalf("%d files unchanged of %d", st.Unchanged, len(out.Files))
			}
		}
		report(b, commit)
	})
}
