// Command benchhugo compares a full disclose build with a Hugo build of the
// same Markdown.
//
// It generates a synthetic site with cmd/synth's generator (or takes one
// with --src), copies its Markdown section files, unchanged, into a Hugo site
// with a minimal layout (baseof, single, list; minify on), then builds both
// in alternating rounds with outputs on tmpfs, each round from an empty
// output folder, and prints the median wall time of each, the ratio
// disclose/Hugo, and the peak RSS of each process.
//
// It needs Debian's hugo (0.111.3 on these machines); with --install it runs
// apt-get to get it. It builds disclose from ./cmd/disclose, so run it from
// the repository, or give a disclose executable with --disclose.
//
// The scratch folder (--work) is emptied first and removed at the end
// (unless --keep): benchhugo takes only a folder that is new, empty or one
// it made itself (it leaves a .benchhugo file in it).
//
//	go run ./cmd/benchhugo --bodies 100 --years 5 --rounds 5 --install
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/disclose/disclose/generator/synth"
)

func main() {
	// 100 bodies of 5 years: 1,000 disclosures, the README's comparison
	// (half a minute); 1000 makes the 10,000 of its second row.
	bodies := flag.Int("bodies", 100, "synthetic bodies (when --src is not given)")
	years := flag.Int("years", 5, "years per body (each a budget and a final account)")
	src := flag.String("src", "", "an existing site folder instead of a generated one")
	rounds := flag.Int("rounds", 5, "alternating rounds")
	work := flag.String("work", "/dev/shm/benchhugo", "scratch folder, on tmpfs")
	install := flag.Bool("install", false, "apt-get install hugo if it is missing")
	keep := flag.Bool("keep", false, "keep the scratch folder")
	disclose := flag.String("disclose", "", "a disclose executable to time (default: go build ./cmd/disclose, from the repository)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./cmd/benchhugo [--bodies N --years Y | --src DIR] [--rounds R] [--work DIR] [--keep] [--install] [--disclose PATH]")
		fmt.Fprintln(flag.CommandLine.Output(), "\nBuilds a synthetic site (N×Y×2 disclosures) with disclose and its Markdown with Hugo, in alternating rounds,")
		fmt.Fprintln(flag.CommandLine.Output(), "and prints each median wall time, the ratio disclose/Hugo and each peak RSS.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *rounds < 1 || *bodies < 1 || *years < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "benchhugo: --rounds, --bodies and --years must be at least 1, and no arguments")
		os.Exit(2)
	}
	if err := run(*bodies, *years, *src, *rounds, *work, *install, *keep, *disclose); err != nil {
		fmt.Fprintln(os.Stderr, "benchhugo:", err)
		os.Exit(1)
	}
}

// marker is the file benchhugo leaves in its scratch folder, so that it
// empties no folder it did not make.
const marker = ".benchhugo"

func run(bodies, years int, src string, rounds int, work string, install, keep bool, bin string) error {
	if err := scratch(work, src); err != nil {
		return err
	}
	hugo, err := exec.LookPath("hugo")
	if err != nil && install {
		fmt.Println("installing hugo with apt-get …")
		for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "hugo"}} {
			cmd := exec.Command("apt-get", args...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("apt-get %v: %w", args, err)
			}
		}
		hugo, err = exec.LookPath("hugo")
	}
	if err != nil {
		return fmt.Errorf("hugo not found (run with --install, or apt-get install hugo)")
	}
	out, _ := exec.Command(hugo, "version").Output()
	fmt.Printf("hugo: %s", out)

	if err := os.RemoveAll(work); err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(work, marker), nil, 0o644); err != nil {
		return err
	}
	if !keep {
		defer os.RemoveAll(work)
	}
	if bin == "" {
		bin = filepath.Join(work, "disclose")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/disclose").CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/disclose (run benchhugo from the disclose repository, or give --disclose PATH): %v\n%s", err, out)
		}
	}
	if src == "" {
		src = filepath.Join(work, "site")
		t := time.Now()
		if err := synth.Generate(synth.Options{Bodies: bodies, Years: years, Seed: 1}, dirSink(src)); err != nil {
			return err
		}
		fmt.Printf("synthetic site: %d bodies × %d years × 2 = %d disclosures (%s)\n", bodies, years, bodies*years*2, time.Since(t).Round(time.Millisecond))
	}
	hugoSite := filepath.Join(work, "hugo")
	pages, err := hugoFrom(src, hugoSite)
	if err != nil {
		return err
	}
	fmt.Printf("hugo site: %d Markdown files, unchanged\n", pages)

	var dTimes, hTimes []time.Duration
	var dRSS, hRSS int64
	for i := range rounds {
		dOut, hOut := filepath.Join(work, "out-disclose"), filepath.Join(work, "out-hugo")
		os.RemoveAll(dOut)
		os.RemoveAll(hOut)
		d, rss, err := timed(bin, "build", "--src", src, "--out", dOut, "--quiet", "--no-cache")
		if err != nil {
			return fmt.Errorf("disclose: %w", err)
		}
		dTimes, dRSS = append(dTimes, d), max(dRSS, rss)
		h, rss, err := timed(hugo, "--source", hugoSite, "--destination", hOut, "--minify", "--quiet")
		if err != nil {
			return fmt.Errorf("hugo: %w", err)
		}
		hTimes, hRSS = append(hTimes, h), max(hRSS, rss)
		fmt.Printf("round %d: disclose %s, hugo %s\n", i+1, d.Round(time.Millisecond), h.Round(time.Millisecond))
	}
	dm, hm := median(dTimes), median(hTimes)
	fmt.Printf("\nmedian of %d: disclose %s, hugo %s, ratio disclose/hugo %.2f\n", rounds, dm.Round(time.Millisecond), hm.Round(time.Millisecond), float64(dm)/float64(hm))
	fmt.Printf("peak RSS: disclose %d MiB, hugo %d MiB\n", dRSS/1024, hRSS/1024)
	return nil
}

// scratch refuses a --work folder that benchhugo would empty but did not
// make (a folder with files and no marker), and a --src inside it.
func scratch(work, src string) error {
	abs := func(p string) string {
		p, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return r
		}
		return p
	}
	if src != "" {
		if rel, err := filepath.Rel(abs(work), abs(src)); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fmt.Errorf("--src %s lies in --work %s, which benchhugo empties first: copy the site elsewhere, or give another --work", src, work)
		}
	}
	entries, err := os.ReadDir(work)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("--work %s: %w", work, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(work, marker)); err != nil {
		return fmt.Errorf("--work %s holds files benchhugo did not make (no %s in it), and benchhugo empties its scratch folder: give a new or empty folder", work, marker)
	}
	return nil
}

// timed runs a command and returns its wall time and peak RSS in KiB.
func timed(name string, args ...string) (time.Duration, int64, error) {
	cmd := exec.CommandContext(context.Background(), name, args...)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%v: %s", err, errOut.String())
	}
	d := time.Since(start)
	return d, peakRSS(cmd.ProcessState), nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// hugoFrom makes a Hugo site whose content is the Markdown of the site in
// src, file for file: one Hugo page per section file.
func hugoFrom(src, dst string) (int, error) {
	files := map[string]string{
		"hugo.toml": `baseURL = "https://example.gov.cn/"
languageCode = "zh-cn"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[minify]
minifyOutput = true
`,
		"layouts/_default/baseof.html": `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`,
	}
	for name, data := range files {
		p := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return 0, err
		}
	}
	n := 0
	contentDir := filepath.Join(src, "content")
	err := filepath.WalkDir(contentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || p == filepath.Join(contentDir, "README.md") {
			return err
		}
		rel, _ := filepath.Rel(contentDir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, "content", rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(out, data, 0o644)
	})
	return n, err
}

// dirSink writes synth's files under a folder.
type dirSink string

func (d dirSink) WriteFile(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}
