package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator/content"
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
