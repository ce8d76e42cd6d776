package render

import (
	"bytes"
	"flag"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/tables")

// TestTableKindsGolden renders the first table of every kind in the example
// site (the 盘锦 budget and the synthetic body's budgets and final
// accounts) and in the real Shanghai package, and compares each with its
// golden file: testdata/tables/<source>/<kind>.html.
func TestTableKindsGolden(t *testing.T) {
	sources := map[string]string{"example": "../..", "putuo": "../testdata/putuo-2025"}
	seen := map[string]bool{}
	for name, dir := range sources {
		site, diags := content.Load(os.DirFS(dir))
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		r, diags := New(site, Options{Layouts: disclose.Theme(), Markdown: markdown.New(markdown.Options{})})
		if r == nil {
			t.Fatal(diags.Err())
		}
		kinds := map[string]bool{}
		for _, b := range site.Bodies {
			for _, d := range b.Disclosures {
				for _, tab := range d.Tables {
					if kinds[tab.Kind.ID] {
						continue
					}
					kinds[tab.Kind.ID] = true
					seen[tab.Kind.ID] = true
					html, err := r.tableHTML(tab, "table-"+markdown.Slug(tab.ID))
					if err != nil {
						t.Fatal(err)
					}
					checkWriteTable(t, r, tab)
					golden := filepath.Join("testdata", "tables", name, tab.Kind.ID+".html")
					if *update {
						os.MkdirAll(filepath.Dir(golden), 0o755)
						if err := os.WriteFile(golden, []byte(html), 0o644); err != nil {
							t.Fatal(err)
						}
						continue
					}
					want, err := os.ReadFile(golden)
					if err != nil {
						t.Errorf("%s: %v (run go test ./generator/render -update)", golden, err)
						continue
					}
					if !bytes.Equal(want, []byte(html)) {
						t.Errorf("%s differs; got:\n%s", golden, html)
					}
				}
			}
		}
	}
	// Every built-in kind has a golden table.
	var cat []string
	site, _ := content.Load(os.DirFS("../.."))
	for _, k := range site.Catalog.Kinds {
		if !seen[k.ID] && k.ID != "list" {
			cat = append(cat, k.ID)
		}
	}
	if len(cat) > 0 {
		t.Errorf("kinds without a golden table: %s", strings.Join(cat, ", "))
	}
}

// checkWriteTable holds writeTable to the theme's table partial: both must
// write the same bytes for every table.
func checkWriteTable(t *testing.T, r *Renderer, tab *fiscal.Table) {
	t.Helper()
	for i, id := range []string{"table-" + markdown.Slug(tab.ID), `a"b&c'<+>`} {
		v := NewTableView(tab, id)
		if i == 1 {
			v.CSV = &Download{Href: `/子目录/a b"c'<d>%zz%41&x+y.csv`, Name: `表"1'<&+>.csv`, Size: "1.2 KB"}
		}
		var fast strings.Builder
		var slow bytes.Buffer
		writeTable(&fast, &v)
		if err := r.tmpl.ExecuteTemplate(&slow, "table", &v); err != nil {
			t.Fatal(err)
		}
		if fast.String() != slow.String() {
			t.Errorf("%s: writeTable differs from layouts/partials/table.html:\n%s\n---\n%s", tab.Kind.ID, fast.String(), slow.String())
		}
	}
}

// TestSiteTablePartial: a site's own table partial is executed, not the
// built-in writer.
func TestSiteTablePartial(t *testing.T) {
	site, diags := content.Load(os.DirFS("../.."))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	theme := disclose.Theme()
	own := fstest.MapFS{"layouts/partials/table.html": {Data: []byte(`{{define "table"}}<table class="mine">{{.Title}}</table>{{end}}`)}}
	layouts := overlayFS{own, theme}
	r, diags := New(site, Options{Layouts: layouts, Markdown: markdown.New(markdown.Options{}), Theme: theme})
	if r == nil {
		t.Fatal(diags.Err())
	}
	if r.fastTable {
		t.Fatal("a site's own table partial must be executed")
	}
	html, err := r.tableHTML(site.Bodies[0].Disclosures[0].Tables[0], "x")
	if err != nil || !strings.Contains(string(html), `<table class="mine">`) {
		t.Errorf("html = %s, %v", html, err)
	}
	r, _ = New(site, Options{Layouts: theme, Markdown: markdown.New(markdown.Options{}), Theme: theme})
	if !r.fastTable {
		t.Error("the theme's own partial should use writeTable")
	}
}

// overlayFS looks a name up in each layer in turn (enough for New).
type overlayFS []fs.FS

func (o overlayFS) Open(name string) (fs.File, error) {
	for _, l := range o {
		if f, err := l.Open(name); err == nil {
			return f, nil
		}
	}
	return nil, fs.ErrNotExist
}

// tableHTML renders the "table" layout for t (pages render through
// tableViewHTML, with the view they also keep).
func (r *Renderer) tableHTML(t *fiscal.Table, id string) (template.HTML, error) {
	v := NewTableView(t, id)
	return r.tableViewHTML(&v)
}

// FuzzEsc holds esc to the escapes html/template writes in text and quoted
// attribute values.
func FuzzEsc(f *testing.F) {
	for _, s := range []string{"", "2966.24", "一般公共预算“三公”经费", `a<b>&"c"'d'+e`, "\x00x", "末尾&"} {
		f.Add(s)
	}
	want := strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		b.WriteString("x")
		esc(&b, s)
		if got := b.String(); got != "x"+want.Replace(s) {
			t.Fatalf("esc(%q) = %q, want %q", s, got[1:], want.Replace(s))
		}
	})
}
