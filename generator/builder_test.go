package generator_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/publish"
)

// exampleFS copies the example site into memory and adds bodies: copies of
// the example body under other slugs, one with two years.
func exampleFS(t testing.TB, bodies int) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(".."), "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS(".."), p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range bodies {
		copyBody(fsys, "panjin-zhcs", fmt.Sprintf("body-%02d", i), fmt.Sprintf("第%d示例中心", i))
	}
	// A second year for one body.
	for name, f := range fsys {
		if rest, ok := strings.CutPrefix(name, "content/body-00/2020/"); ok {
			fsys["content/body-00/2021/"+rest] = &fstest.MapFile{Data: f.Data}
		}
	}
	return fsys
}

// copyBody copies body folder from to slug, renamed.
func copyBody(fsys fstest.MapFS, from, slug, name string) {
	for p, f := range fsys {
		if rest, ok := strings.CutPrefix(p, "content/"+from+"/"); ok {
			data := f.Data
			if rest == "body.toml" {
				data = fmt.Appendf(nil, "name = %q\nshort_name = %q\n", name, name)
			}
			fsys["content/"+slug+"/"+rest] = &fstest.MapFile{Data: data}
		}
	}
}

// sameBuild fails t unless the incremental build equals the full one: the
// same error, diagnostics, counts and files, byte for byte.
func sameBuild(t *testing.T, step string, inc *publish.MapSink, incRes generator.Result, incErr error, full *publish.MapSink, fullRes generator.Result, fullErr error) {
	t.Helper()
	if fmt.Sprint(incErr) != fmt.Sprint(fullErr) {
		t.Fatalf("%s: incremental error\n%v\nfull build error\n%v", step, incErr, fullErr)
	}
	if fmt.Sprint(incRes.Diagnostics) != fmt.Sprint(fullRes.Diagnostics) {
		t.Fatalf("%s: diagnostics differ:\n%v\n%v", step, incRes.Diagnostics, fullRes.Diagnostics)
	}
	if fmt.Sprint(incRes.Findings) != fmt.Sprint(fullRes.Findings) {
		t.Fatalf("%s: the checks' findings differ:\n%v\n%v", step, incRes.Findings, fullRes.Findings)
	}
	if incRes.Pages != fullRes.Pages || incRes.Files != fullRes.Files {
		t.Fatalf("%s: incremental wrote %d pages, %d files; full %d, %d", step, incRes.Pages, incRes.Files, fullRes.Pages, fullRes.Files)
	}
	if fullErr != nil {
		return // the sink's content does not count
	}
	if a, b := inc.Names(), full.Names(); !slices.Equal(a, b) {
		t.Fatalf("%s: files differ:\nincremental %v\nfull        %v", step, a, b)
	}
	for name, data := range full.Files {
		if !bytes.Equal(inc.Files[name], data) {
			t.Fatalf("%s: %s differs from the full build:\n%s", step, name, firstDiff(data, inc.Files[name]))
		}
	}
}

// edit is one change an editor makes; it returns the paths it touched, or
// nil when it does not apply to the site as it is.
type edit struct {
	name  string
	apply func(fsys fstest.MapFS, r *rand.Rand) []string
}

// pick returns a random file name matching pattern (path.Match), or "".
func pick(fsys fstest.MapFS, r *rand.Rand, pattern string) string {
	var names []string
	for name := range fsys {
		if ok, _ := path.Match(pattern, name); ok {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return names[r.IntN(len(names))]
}

func replaceIn(fsys fstest.MapFS, name, old, new string) []string {
	f := fsys[name]
	if f == nil || !bytes.Contains(f.Data, []byte(old)) {
		return nil
	}
	fsys[name] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1)}
	return []string{name}
}

// replaceAllIn replaces every match of re in file name, if any.
func replaceAllIn(fsys fstest.MapFS, name string, re *regexp.Regexp, new string) []string {
	f := fsys[name]
	if f == nil || !re.Match(f.Data) {
		return nil
	}
	fsys[name] = &fstest.MapFile{Data: re.ReplaceAll(f.Data, []byte(new))}
	return []string{name}
}

// crossLink is a link addLink adds.
var crossLink = regexp.MustCompile(`\n\n参见\[[^\]]*\]\([^)]*\)。\n`)

// addLink appends to a random file matching from a link to the folder of a
// random file matching to: link is the Markdown link, %s the folder below
// content/.
func addLink(fsys fstest.MapFS, r *rand.Rand, from, to, link string) []string {
	name, target := pick(fsys, r, from), pick(fsys, r, to)
	if name == "" || target == "" {
		return nil
	}
	text := "\n\n参见" + fmt.Sprintf(link, strings.TrimPrefix(path.Dir(target), "content/")) + "。\n"
	fsys[name] = &fstest.MapFile{Data: append(slices.Clip(fsys[name].Data), text...)}
	return []string{name}
}

var edits = []edit{
	{"append a paragraph to a section", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/*.md")
		if name == "" {
			return nil
		}
		fsys[name] = &fstest.MapFile{Data: fmt.Appendf(bytes.Clone(fsys[name].Data), "\n新增段落 %d，收入{{收入.收入预算}}。\n", r.IntN(1000))}
		return []string{name}
	}},
	{"change a headline figure", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/data.toml")
		return replaceIn(fsys, name, "amount = 2966.24, change", fmt.Sprintf("amount = %d.%02d, change", 2000+r.IntN(999), r.IntN(100)))
	}},
	{"change a figure in a list", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/data.toml")
		return replaceIn(fsys, name, "amount = 582 }", fmt.Sprintf("amount = %d }", 500+r.IntN(99)))
	}},
	{"change a glossary definition", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := "content/glossary.toml"
		def := regexp.MustCompile(`(?m)^definition = "指(（修订\d+）)?保障机构正常运转`)
		fsys[name] = &fstest.MapFile{Data: def.ReplaceAll(fsys[name].Data, fmt.Appendf(nil, `definition = "指（修订%d）保障机构正常运转`, r.IntN(100)))}
		return []string{name}
	}},
	{"rename a body", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/body-*/body.toml")
		if name == "" {
			return nil
		}
		fsys[name] = &fstest.MapFile{Data: fmt.Appendf(nil, "name = \"改名中心%d\"\n", r.IntN(1000))}
		return []string{name}
	}},
	{"add a body", func(fsys fstest.MapFS, r *rand.Rand) []string {
		slug := fmt.Sprintf("new-%03d", r.IntN(1000))
		if fsys["content/"+slug+"/body.toml"] != nil {
			return nil
		}
		copyBody(fsys, "panjin-zhcs", slug, "新单位"+slug)
		return []string{"content/" + slug}
	}},
	{"remove a body", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/body.toml")
		if name == "" || strings.Contains(name, "panjin-zhcs") {
			return nil
		}
		dir := path.Dir(name)
		for p := range fsys {
			if strings.HasPrefix(p, dir+"/") {
				delete(fsys, p)
			}
		}
		return []string{dir}
	}},
	{"remove a section", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/01-overview.md")
		if name == "" {
			return nil
		}
		delete(fsys, name)
		return []string{name}
	}},
	{"add a section", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/data.toml")
		if name == "" {
			return nil
		}
		md := path.Dir(name) + fmt.Sprintf("/05-extra-%d.md", r.IntN(100))
		fsys[md] = &fstest.MapFile{Data: []byte("+++\ntitle = \"补充说明\"\nweight = 50\n+++\n\n三公经费{{增减 三公.合计}}。\n")}
		return []string{md}
	}},
	{"break data.toml", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/data.toml")
		return replaceIn(fsys, name, `unit = "万元"`, `unit = "万元`)
	}},
	{"fix data.toml", func(fsys fstest.MapFS, r *rand.Rand) []string {
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for n := range fsys {
				if !yield(n) {
					return
				}
			}
		}) {
			if strings.HasSuffix(name, "data.toml") {
				if p := replaceIn(fsys, name, "unit = \"万元\nscope", "unit = \"万元\"\nscope"); p != nil {
					return p
				}
			}
		}
		return nil
	}},
	{"break a reference", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/03-explanation.md")
		return replaceIn(fsys, name, "{{收入.非税收入}}", "{{收入.非税收人}}")
	}},
	{"fix a reference", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/03-explanation.md")
		return replaceIn(fsys, name, "{{收入.非税收人}}", "{{收入.非税收入}}")
	}},
	// Links between pages: a page that did not change must still have its
	// links checked when what they lead to goes (a body removed, its
	// overview section removed).
	{"link to another body's overview", func(fsys fstest.MapFS, r *rand.Rand) []string {
		return addLink(fsys, r, "content/*/*/*/03-explanation.md", "content/*/*/*/data.toml", "[其他单位的概况](/%s/#overview)")
	}},
	{"link to a body", func(fsys fstest.MapFS, r *rand.Rand) []string {
		return addLink(fsys, r, "content/*/*/*/01-overview.md", "content/*/body.toml", "[该单位](/%s/)")
	}},
	{"fix cross links", func(fsys fstest.MapFS, r *rand.Rand) []string {
		var touched []string
		for _, name := range slices.Sorted(maps.Keys(fsys)) {
			if p := replaceAllIn(fsys, name, crossLink, ""); p != nil {
				touched = append(touched, p...)
			}
		}
		return touched
	}},
	{"override the disclosure layout", func(fsys fstest.MapFS, r *rand.Rand) []string {
		data, err := fs.ReadFile(disclose.Theme(), "layouts/disclosure.html")
		if err != nil {
			panic(err)
		}
		data = bytes.Replace(data, []byte("{{define \"main\" -}}"), fmt.Appendf(nil, "{{define \"main\" -}}\n<p>版本 %d</p>", r.IntN(100)), 1)
		fsys["layouts/disclosure.html"] = &fstest.MapFile{Data: data}
		return []string{"layouts/disclosure.html"}
	}},
	{"change the footer partial", func(fsys fstest.MapFS, r *rand.Rand) []string {
		data, err := fs.ReadFile(disclose.Theme(), "layouts/partials/footer.html")
		if err != nil {
			panic(err)
		}
		data = bytes.Replace(data, []byte("</footer>"), fmt.Appendf(nil, "<p>页脚 %d</p></footer>", r.IntN(100)), 1)
		fsys["layouts/partials/footer.html"] = &fstest.MapFile{Data: data}
		return []string{"layouts/partials/footer.html"}
	}},
	{"break a layout", func(fsys fstest.MapFS, r *rand.Rand) []string {
		fsys["layouts/body.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}<h1>{{.Title}</h1>{{end}}\n")}
		return []string{"layouts/body.html"}
	}},
	{"remove layout overrides", func(fsys fstest.MapFS, r *rand.Rand) []string {
		var touched []string
		for p := range fsys {
			if strings.HasPrefix(p, "layouts/") {
				delete(fsys, p)
				touched = append(touched, p)
			}
		}
		return touched
	}},
	{"change the site title", func(fsys fstest.MapFS, r *rand.Rand) []string {
		f := fsys["content/site.toml"]
		lines := strings.SplitN(string(f.Data), "\n", 3)
		fsys["content/site.toml"] = &fstest.MapFile{Data: fmt.Appendf(nil, "%s\ntitle = \"公开平台%d\"\n%s", lines[0], r.IntN(100), lines[2])}
		return []string{"content/site.toml"}
	}},
	{"add a stylesheet", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := fmt.Sprintf("static/css/extra-%d.css", r.IntN(3))
		fsys[name] = &fstest.MapFile{Data: fmt.Appendf(nil, "p { margin: %dpx; }\n", r.IntN(10))}
		return []string{name}
	}},
	{"add or change a file of root/", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := fmt.Sprintf("root/verify-%d.html", r.IntN(3))
		fsys[name] = &fstest.MapFile{Data: fmt.Appendf(nil, "<p>  verify %d  </p>\n", r.IntN(10))}
		return []string{name}
	}},
	{"remove a file of root/", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "root/*")
		if name == "" {
			return nil
		}
		delete(fsys, name)
		return []string{name}
	}},
	{"put a file in root/ where the build writes one", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := []string{"root/robots.txt", "root/index.html", "root/glossary"}[r.IntN(3)]
		fsys[name] = &fstest.MapFile{Data: []byte("x")}
		return []string{name}
	}},
	{"fix root/: remove the files that clash", func(fsys fstest.MapFS, r *rand.Rand) []string {
		var gone []string
		for _, name := range []string{"root/robots.txt", "root/index.html", "root/glossary"} {
			if fsys[name] != nil {
				delete(fsys, name)
				gone = append(gone, name)
			}
		}
		return gone
	}},
	{"touch a file without changing it", func(fsys fstest.MapFS, r *rand.Rand) []string {
		name := pick(fsys, r, "content/*/*/*/*")
		if name == "" {
			return nil
		}
		return []string{name}
	}},
	{"edit the editors' guide", func(fsys fstest.MapFS, r *rand.Rand) []string {
		fsys["content/README.md"] = &fstest.MapFile{Data: fmt.Appendf(nil, "# 说明 %d\n", r.IntN(100))}
		return []string{"content/README.md"}
	}},
}

// fixes are the edits that undo a breaking one.
var fixes = func() []edit {
	var out []edit
	for _, e := range edits {
		if strings.HasPrefix(e.name, "fix ") || e.name == "remove layout overrides" {
			out = append(out, e)
		}
	}
	return out
}()

// TestIncrementalEqualsFullBuild applies a series of random edits to a
// site, rebuilding incrementally after each, and compares every build with
// a full build of the same files.
func TestIncrementalEqualsFullBuild(t *testing.T) {
	steps := 60
	if testing.Short() {
		steps = 20
	}
	for _, tc := range []struct {
		name string
		seed uint64
		cfg  generator.Config
	}{
		{"minified", 1, generator.Config{Minify: true}},
		{"preview", 2, generator.Config{Preview: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 8))
			fsys := exampleFS(t, 3)
			cfg := tc.cfg
			cfg.Site, cfg.Theme = fsys, disclose.Theme()
			// One builder writes every file to a new sink each time; the
			// other carries the last good build over, as the preview does.
			b, kb := generator.NewBuilder(cfg), generator.NewBuilder(cfg)
			var good map[string][]byte
			rendered, failed, carried := 0, 0, 0
			var lastErr error
			for i := range steps {
				e := edits[r.IntN(len(edits))]
				if lastErr != nil && r.IntN(2) == 0 {
					e = fixes[r.IntN(len(fixes))] // do not stay broken for long
				}
				touched := e.apply(fsys, r)
				if touched == nil && i > 0 {
					continue
				}
				step := fmt.Sprintf("step %d (%s %v)", i, e.name, touched)
				b.Changed(touched...)
				inc := publish.NewMapSink()
				incRes, incErr := b.Build(context.Background(), inc)
				full := publish.NewMapSink()
				fullCfg := cfg
				fullCfg.Sink = full
				fullRes, fullErr := generator.Build(context.Background(), fullCfg)
				sameBuild(t, step, inc, incRes, incErr, full, fullRes, fullErr)

				kb.Changed(touched...)
				kept := publish.NewMapKeeper(good)
				keptRes, keptErr := kb.Build(context.Background(), kept)
				sameBuild(t, step+" carried over", &publish.MapSink{Files: kept.Files}, keptRes, keptErr, full, fullRes, fullErr)
				if keptErr == nil {
					good = kept.Files
				}
				if !kept.Cleared {
					carried++
				}
				if i > 0 {
					rendered += incRes.Rendered
				}
				if lastErr = incErr; incErr != nil {
					failed++
				}
			}
			t.Logf("%d steps, %d failed builds, %d carried over; %d pages rendered anew", steps, failed, carried, rendered)
			if carried < steps/4 {
				t.Errorf("only %d of %d builds carried the last good one over", carried, steps)
			}
		})
	}
}

// TestIncrementalRendersWhatChanged checks what each kind of change renders
// again.
func TestIncrementalRendersWhatChanged(t *testing.T) {
	const (
		disclosurePage = "body-01/2020/budget/index.html"
	)
	tests := []struct {
		name   string
		change func(fstest.MapFS) []string
		want   []string // pages rendered anew (path.Match patterns); nil means all
	}{
		{"nothing", func(fstest.MapFS) []string { return nil }, []string{}},
		// The search page names the search index by its content: a change
		// to what pages say renders it again.
		{"a section's text", func(fsys fstest.MapFS) []string {
			return replaceIn(fsys, "content/body-01/2020/budget/03-explanation.md", "按照综合预算的原则", "按综合预算原则")
		}, []string{disclosurePage, "search/index.html"}},
		{"a headline total", func(fsys fstest.MapFS) []string {
			return replaceIn(fsys, "content/body-01/2020/budget/data.toml", "amount = 2966.24, change", "amount = 2966.25, change")
		}, []string{"body-01/index.html", disclosurePage, "index.html", "sitemap/index.html", "search/index.html"}},
		{"a body's name", func(fsys fstest.MapFS) []string {
			fsys["content/body-01/body.toml"] = &fstest.MapFile{Data: []byte("name = \"另一个中心\"\n")}
			return []string{"content/body-01/body.toml"}
		}, nil}, // every page: the site view lists the bodies
		{"the disclosure layout", func(fsys fstest.MapFS) []string {
			data, _ := fs.ReadFile(disclose.Theme(), "layouts/disclosure.html")
			fsys["layouts/disclosure.html"] = &fstest.MapFile{Data: append(data, "\n"...)}
			return []string{"layouts/disclosure.html"}
		}, []string{"*/*/*/index.html"}},
		{"a glossary term the disclosures list", func(fsys fstest.MapFS) []string {
			return replaceIn(fsys, "content/glossary.toml", "指保障机构正常运转", "指保障机关正常运转")
		}, []string{"*/*/*/index.html", "glossary/index.html", "search/index.html"}},
		// Terms are marked in the text: any glossary change renders every
		// disclosure page.
		{"a glossary term no disclosure lists", func(fsys fstest.MapFS) []string {
			f := fsys["content/glossary.toml"]
			fsys["content/glossary.toml"] = &fstest.MapFile{Data: append(bytes.Clone(f.Data), "\n[[term]]\nterm = \"新名词\"\ndefinition = \"新解释。\"\n"...)}
			return []string{"content/glossary.toml"}
		}, []string{"*/*/*/index.html", "glossary/index.html", "search/index.html"}},
		// Pages name stylesheets by content hash...
		{"a stylesheet", func(fsys fstest.MapFS) []string {
			fsys["static/css/site.css"] = &fstest.MapFile{Data: []byte("body { color: red; }\n")}
			return []string{"static/css/site.css"}
		}, nil},
	}
	tests = append(tests, struct {
		name   string
		change func(fstest.MapFS) []string
		want   []string
	}{"a stylesheet, previewing", func(fsys fstest.MapFS) []string {
		// ... except in the preview, so the stylesheet can be swapped in.
		fsys["static/css/site.css"] = &fstest.MapFile{Data: []byte("body { color: red; }\n")}
		return []string{"static/css/site.css"}
	}, []string{}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := exampleFS(t, 3)
			b := generator.NewBuilder(generator.Config{Site: fsys, Theme: disclose.Theme(), Preview: strings.HasSuffix(tt.name, "previewing")})
			first := publish.NewMapSink()
			if _, err := b.Build(context.Background(), first); err != nil {
				t.Fatal(err)
			}
			b.Changed(tt.change(fsys)...)
			second := publish.NewMapSink()
			res, err := b.Build(context.Background(), second)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, name := range second.Names() {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				for _, pattern := range tt.want {
					if ok, _ := path.Match(pattern, name); ok {
						want = append(want, name)
					}
				}
				if tt.want == nil {
					want = append(want, name)
				}
			}
			// Every page whose bytes changed was rendered anew, and those
			// are all that were (a changed key need not change the bytes).
			for _, name := range second.Names() {
				if strings.HasSuffix(name, ".html") && !bytes.Equal(first.Files[name], second.Files[name]) && !slices.Contains(want, name) {
					t.Errorf("%s changed but was not expected to be rendered again", name)
				}
			}
			if res.Rendered != len(want) {
				t.Errorf("rendered %d pages anew, want %d (%v)", res.Rendered, len(want), want)
			}
		})
	}
}
