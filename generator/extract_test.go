package generator_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/search"
)

// TestExtractorFedByPageCheck: the search sections of a page read from the
// page check's tokens, as a build reads them, are those search.Extract
// finds lexing the page itself.
func TestExtractorFedByPageCheck(t *testing.T) {
	golden, err := filepath.Glob("testdata/golden/*.html")
	if err != nil || len(golden) == 0 {
		t.Fatalf("no golden pages: %v", err)
	}
	sections := 0
	for _, name := range golden {
		page, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := publish.NewStage(publish.NewMapSink(), publish.Options{Minify: true})
		if err != nil {
			t.Fatal(err)
		}
		x := search.NewExtractor(page)
		if _, err := s.PagePublished(publish.Page{Name: "p/index.html", HTML: page, Tokens: x.Token}); err != nil {
			t.Fatal(err)
		}
		got, want := x.Sections(), search.Extract(page)
		sections += len(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: sections from the page check's tokens differ:\n got  %+v\n want %+v", name, got, want)
		}
	}
	if sections < 100 {
		t.Errorf("%d sections in the golden pages: the test proves little", sections)
	}
}
