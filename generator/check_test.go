package generator_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
)

// TestCheckStreams: generator.Check, which loads and checks a site body by
// body and lets each go, finds what checker.Check finds on the site loaded
// whole: on the example (errors, a warning, notes), on a synthetic site
// whose figures an edit broke, and on one with a data.toml that does not
// load, where it reports the load error and checks nothing.
func TestCheckStreams(t *testing.T) {
	src := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: 6, Years: 2, Seed: 3}, src); err != nil {
		t.Fatal(err)
	}
	var data []string // the data.toml files, in order
	for name := range src.Files {
		if path.Base(name) == "data.toml" {
			data = append(data, name)
		}
	}
	slices.Sort(data)
	edited := func(file string, change func([]byte) []byte) fs.FS {
		m := publish.NewMapSink()
		maps.Copy(m.Files, src.Files)
		m.Files[file] = change(src.Files[file])
		return m.FS()
	}
	sites := map[string]fs.FS{
		"example": os.DirFS(".."),
		// The first amount gets a leading 1: sums and cross-table rules break.
		"synthetic, an amount changed": edited(data[1], func(b []byte) []byte {
			return bytes.Replace(b, []byte("amount = "), []byte("amount = 1"), 1)
		}),
		"synthetic, a data.toml that does not load": edited(data[2], func(b []byte) []byte {
			return append(slices.Clip(b), "oops = [\n"...)
		}),
	}
	for name, fsys := range sites {
		t.Run(name, func(t *testing.T) {
			whole, diags := content.Load(fsys)
			var want string
			if diags.HasErrors() {
				want = fmt.Sprint(diags)
			} else {
				checker, cd := check.New(fsys, whole)
				if cd.HasErrors() {
					t.Fatal(cd)
				}
				want = fmt.Sprint(checker.Check(whole))
			}
			skeleton, diags := content.LoadSkeleton(fsys)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			checker, cd := check.New(fsys, skeleton)
			if cd.HasErrors() {
				t.Fatal(cd)
			}
			cr, err := generator.Check(context.Background(), fsys, nil, skeleton, checker)
			got := fmt.Sprint(cr.Findings)
			if cr.Loaded.HasErrors() {
				cr.Loaded.Sort()
				got = fmt.Sprint(cr.Loaded)
				if cr.Checked || cr.Findings != nil {
					t.Errorf("findings of a site that does not load: %v", cr.Findings)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("streamed:\n%s\nwhole:\n%s", got, want)
			}
			if got == "[]" {
				t.Error("nothing found: the case shows nothing")
			}
		})
	}
}

// TestCheckRendersPages: given the theme, Check reports what a build would
// of a page's text, such as a reference to a table the disclosure no
// longer has, so that its all-clear is the build's; without, only figures.
func TestCheckRendersPages(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.toml":                  {Data: []byte("title = \"t\"\n")},
		"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n[[table]]\nkind = \"sangong_list\"\nrows = [{ id = \"total\", amount = 5 }]\n")},
		"content/demo/2020/budget/01.md":     {Data: []byte("+++\ntitle = \"说明\"\n+++\n\n三公{{三公.合计}}，采购{{政府采购.合计}}。\n")},
	}
	sink := publish.NewMapSink()
	_, buildErr := generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: sink})
	const want = "content/demo/2020/budget/01.md:5:15: 错误: 引用 {{政府采购.合计}}"
	if buildErr == nil || !strings.Contains(buildErr.Error(), want) {
		t.Fatalf("build: %v, want %s", buildErr, want)
	}
	for _, theme := range []fs.FS{nil, disclose.Theme()} {
		loaded := checkLoaded(t, fsys, theme)
		if got := strings.Contains(fmt.Sprint(loaded), want); got != (theme != nil) {
			t.Errorf("theme %t: %v", theme != nil, loaded)
		}
	}
}

// checkLoaded runs generator.Check on fsys, as disclose check does, and
// returns what it reports besides the findings.
func checkLoaded(t *testing.T, fsys, theme fs.FS) diag.List {
	t.Helper()
	skeleton, diags := content.LoadSkeleton(fsys)
	checker, cd := check.New(fsys, skeleton)
	if diags.HasErrors() || cd.HasErrors() {
		t.Fatal(diags, cd)
	}
	cr, err := generator.Check(context.Background(), fsys, theme, skeleton, checker)
	if err != nil {
		t.Fatal(err)
	}
	return cr.Loaded
}

// TestCheckBrokenLayout: a layout that does not parse is reported, and the
// figures are checked all the same (the footer is not even what check
// renders).
func TestCheckBrokenLayout(t *testing.T) {
	fsys := exampleFS(t, 0)
	fsys["layouts/partials/footer.html"] = &fstest.MapFile{Data: []byte(`{{define "footer"}}{{if}}{{end}}`)}
	skeleton, diags := content.LoadSkeleton(fsys)
	checker, cd := check.New(fsys, skeleton)
	if diags.HasErrors() || cd.HasErrors() {
		t.Fatal(diags, cd)
	}
	cr, err := generator.Check(context.Background(), fsys, disclose.Theme(), skeleton, checker)
	if err != nil {
		t.Fatal(err)
	}
	if !cr.Loaded.HasErrors() || !slices.ContainsFunc(cr.Loaded, func(d diag.Diagnostic) bool { return d.Rule == "layout.parse" }) {
		t.Errorf("the broken layout is not reported: %v", cr.Loaded)
	}
	if !cr.Checked || cr.Findings.Count(diag.Error) == 0 {
		t.Errorf("the figures were not checked: checked %t, %v", cr.Checked, cr.Findings)
	}
}
