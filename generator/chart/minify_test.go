package chart

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/svg"
)

// TestMinify runs every kind of chart through tdewolff/minify, as the
// publishing stage will: alone as SVG, and inline in an HTML page (where
// the HTML minifier hands the <svg> to the SVG minifier). The result must
// still be one well-formed <svg> with its role, accessible name and
// description, and say the same text.
func TestMinify(t *testing.T) {
	m := minify.New()
	m.AddFunc("image/svg+xml", svg.Minify)
	m.Add("text/html", &html.Minifier{KeepEndTags: true, KeepDocumentTags: true})
	for _, g := range goldenCharts {
		c, err := g.draw()
		if err != nil {
			t.Fatal(err)
		}
		min, err := m.String("image/svg+xml", c.SVG)
		if err != nil {
			t.Fatalf("%s: svg minify: %v", g.name, err)
		}
		checkMinified(t, g.name, c, min)

		page := `<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><figure>` + c.SVG + `</figure></body></html>`
		minPage, err := m.String("text/html", page)
		if err != nil {
			t.Fatalf("%s: html minify: %v", g.name, err)
		}
		i, j := strings.Index(minPage, "<svg"), strings.LastIndex(minPage, "</svg>")
		if i < 0 || j < i {
			t.Fatalf("%s: the inline svg is gone from the minified page", g.name)
		}
		checkMinified(t, g.name+" inline", c, minPage[i:j+len("</svg>")])
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func checkMinified(t *testing.T, name string, c Chart, min string) {
	t.Helper()
	n := parseSVG(t, min)
	for _, a := range []string{"role", "aria-labelledby", "aria-describedby", "viewBox"} {
		if n.attr[a] == "" {
			t.Errorf("%s: minified svg lost %s", name, a)
		}
	}
	var desc string
	n.walk(func(x *node) {
		if x.name == "desc" {
			desc = x.text
		}
		if _, ok := x.attr["style"]; ok || x.name == "style" {
			t.Errorf("%s: minifier introduced a style", name)
		}
	})
	if desc != c.Desc {
		t.Errorf("%s: minified <desc> = %q, want %q", name, desc, c.Desc)
	}
	// The text a reader sees is the same.
	plain := func(s string) string {
		s = tagRE.ReplaceAllString(s, " ")
		return strings.Join(strings.Fields(strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)), " ")
	}
	if plain(min) != plain(c.SVG) {
		t.Errorf("%s: minified text differs:\n%s\n%s", name, plain(min), plain(c.SVG))
	}
	if len(min) > len(c.SVG) {
		t.Errorf("%s: minified is larger (%d > %d)", name, len(min), len(c.SVG))
	}
}
