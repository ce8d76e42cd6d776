// Command synth writes a synthetic disclosure site: N bodies, each with a
// budget and a final account per year, every standard table filled with
// figures that reconcile, and Chinese narrative with data references.
// Every body is marked 示例数据（虚构）.
//
// Usage:
//
//	synth --bodies N --years Y --out DIR [--seed S] [--first-year 2021] [--bodies-only]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/disclose/disclose/generator/synth"
)

func main() {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	bodies := fs.Int("bodies", 1, "number of bodies (部门)")
	years := fs.Int("years", 2, "consecutive years, each with a budget and a final account")
	first := fs.Int("first-year", 2021, "the first year")
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same site")
	out := fs.String("out", "", "output site folder (required; must not hold a content folder yet, unless --bodies-only)")
	bodiesOnly := fs.Bool("bodies-only", false, "write only the body folders (content/<body>/…), not site.toml and glossary.toml")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./cmd/synth --bodies N --years Y --out DIR [--seed S] [--first-year YEAR] [--bodies-only]")
		fmt.Fprintln(fs.Output(), "\nWrites a synthetic site (示例数据（虚构）) of N×Y×2 disclosures that `disclose build --src DIR` builds.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		os.Exit(2)
	}
	if entries, err := os.ReadDir(filepath.Join(*out, "content")); err == nil && len(entries) > 0 && !*bodiesOnly {
		fmt.Fprintf(os.Stderr, "synth: %s already holds a content folder; choose an empty folder\n", *out)
		os.Exit(2)
	}
	start := time.Now()
	sink := &dirWriter{root: *out}
	err := synth.Generate(synth.Options{Bodies: *bodies, Years: *years, FirstYear: *first, Seed: *seed, BodiesOnly: *bodiesOnly}, sink)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "synth: %d bodies × %d years × 2 = %d disclosures, %d files in %s → %s\n",
		*bodies, *years, *bodies**years*2, sink.n, time.Since(start).Round(time.Millisecond), *out)
}

// dirWriter writes files under root, creating folders as needed.
type dirWriter struct {
	root string
	n    int64
}

func (w *dirWriter) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) {
		return fmt.Errorf("invalid name %q", name)
	}
	p := filepath.Join(w.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	atomicAdd(&w.n)
	return nil
}

func atomicAdd(n *int64) { atomic.AddInt64(n, 1) }
