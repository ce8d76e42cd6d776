package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
)

// TestMinifyPageIsMinifier: a page minified with its tables compacted is
// byte for byte what the minifier writes for the whole page: the golden
// pages of the example and the synthetic site, and pages with tables
// where compactTable must step aside.
func TestMinifyPageIsMinifier(t *testing.T) {
	golden, err := filepath.Glob("../testdata/golden/*.html")
	if err != nil || len(golden) == 0 {
		t.Fatalf("no golden pages: %v", err)
	}
	m := newMinifier()
	tables, charts, regions := 0, 0, 0
	var paths pathCache
	for _, name := range golden {
		page, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var scratch compactScratch
		pathData := func(d []byte) ([]byte, bool) { return minifyPathData(m, d, &scratch) }
		for _, r := range scanTags(page, func(*tag) {}, nil) {
			regions++
			if r.svg {
				if _, ok := compactSVG(nil, page[r.start:r.end], &scratch, pathData); ok {
					charts++
				}
			} else if _, ok := compactTable(nil, page[r.start:r.end], &scratch); ok {
				tables++
			}
		}
		// Twice, the second time with the paths of all pages before.
		samePage(t, m, filepath.Base(name), page, nil)
		samePage(t, m, filepath.Base(name)+" (path data remembered)", page, &paths)
	}
	// Every table and chart of the example and the synthetic pages must
	// take the short way, or the test proves nothing.
	if tables+charts != regions || tables < 50 || charts < 20 {
		t.Errorf("%d tables and %d charts of %d compacted; want all, at least 50 and 20", tables, charts, regions)
	}

	for _, tc := range []struct{ name, page string }{
		{"text around", "<p>a <table><tr><td> x </td></tr></table> b</p>"},
		{"phrasing around", "<span>a </span><table><tr><td>1</td></tr></table><span> b</span>"},
		{"in pre", "<pre> <table><tr><td>  x  </td></tr></table> </pre><table><tr><td> y </td></tr></table>"},
		{"nested", "<table><tr><td><table><tr><td> x </td></tr></table></td></tr></table>"},
		{"markdown table", "<table>\n<thead>\n<tr>\n<th style=\"text-align:right\">a</th>\n</tr>\n</thead>\n</table>"},
		{"entities", `<table class=" a  b "><caption>&#43;&amp;&lt;&quot;&#39; x</caption><tr><th scope="row" id="a&amp;b">A&nbsp;B</th><td class="">1</td><td colspan="1" rowspan="2">&#x41;</td></tr></table>`},
		{"links", `<table><tr><td><a href=" /a b.csv ">x</a> <a href="HTTPS://x/">y</a> <a href="/q?a=1&amp;b=2">z</a></td></tr></table>`},
		{"empty span", `<table><caption><span></span> <span>x</span> </caption></table>`},
		{"placeholder in page", "<p>" + tableSplice + "</p><table><tr><td>1</td></tr></table>"},
		{"placeholder as value", `<p title="` + tableSplice + `"></p><table><tr><td>1</td></tr></table>`},
		{"comment", "<table><!-- x --><tr><td>1</td></tr></table>"},
		{"in script", "<script>var t = '<table></table>'</script><table><tr><td> 1 </td></tr></table>"},
		{"unclosed", "<table><tr><td>1</td></tr>"},
		{"stray end", "</table><table><tr><td>1</td></tr></table></table>"},
		{"upper case", "<TABLE><TR><TD> 1 </TD></TR></TABLE>"},
		{"charts", `<div> <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360.0 79.80" x="0" y="0.0"><title> a  b </title><g class="x"> </g><rect x="0.50" width="10px" fill="#FFFFFF" stroke="white"/><text x="1" fill="url(#a)">&#43; &amp; </text><path d="M 10 20 L 30 40 V 50"/></svg> x<svg><path d="M0 0C1 1 2 2 3 3"/></svg></div>`},
		{"svg in table", `<table><tr><td><svg><rect x="0.5"/></svg></td></tr></table>`},
		{"svg placeholder", `<p>` + svgSpliceMin + `</p><svg><rect x="0.5"/></svg>`},
	} {
		samePage(t, m, tc.name, []byte(tc.page), nil)
	}
}

// samePage fails the test unless minifyPage writes page as the minifier does.
func samePage(t *testing.T, m *minify.M, name string, page []byte, paths *pathCache) {
	t.Helper()
	// The minifier works in the bytes it is given.
	want, werr := m.Bytes("text/html", bytes.Clone(page))
	before := bytes.Clone(page)
	regions := scanTags(page, func(*tag) {}, nil)
	for i := 1; i < len(regions); i++ {
		if regions[i].start < regions[i-1].end {
			t.Fatalf("%s: regions out of order or one inside another: %v", name, regions)
		}
	}
	got, err := minifyPage(m, page, regions, paths)
	if !bytes.Equal(page, before) {
		t.Fatalf("%s: minifyPage changed the page", name)
	}
	if (err != nil) != (werr != nil) {
		t.Fatalf("%s: error %v, minifier's %v", name, err, werr)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Errorf("%s: differs from the minifier at byte %d:\n got  %q\n want %q", name, i, excerpt(got, i), excerpt(want, i))
	}
}

func excerpt(b []byte, i int) []byte {
	return b[max(0, i-60):min(len(b), i+60)]
}

// TestCompactTableRefuses: what is not in the table writers' grammar is
// left to the minifier.
func TestCompactTableRefuses(t *testing.T) {
	for _, src := range []string{
		"<table><tr><td style=\"color:red\">1</td></tr></table>",
		"<table><tr><td>1</td></tr><!-- x --></table>",
		"<table><tr><td><table></table></td></tr></table>",
		"<table><tr><td><b>1</b></td></tr></table>",
		"<table><tr><td class='a'>1</td></tr></table>",
		"<table><tr><td class=a>1</td></tr></table>",
		"<table><tr><td><a href=\"http://x/\">1</a></td></tr></table>",
		"<table><tr><td>\x00</td></tr></table>",
		"<table><tr/></table>",
		"<div><table></table></div>",
		"<table><tr><td>1</td></tr></table> ",
	} {
		var scratch compactScratch
		if out, ok := compactTable([]byte("kept"), []byte(src), &scratch); ok || string(out) != "kept" {
			t.Errorf("compactTable(%q) = %q, %v; want it refused, dst as it was", src, out, ok)
		}
	}
}

// FuzzCompactTable: whatever compactTable accepts, it writes as the
// minifier does.
func FuzzCompactTable(f *testing.F) {
	page, err := os.ReadFile("../testdata/golden/demo-00005-cgj__2023__final__index.html")
	if err != nil {
		f.Fatal(err)
	}
	for i, r := range scanTags(page, func(*tag) {}, nil) {
		if i%4 == 0 {
			f.Add(string(page[r.start:r.end]))
		}
	}
	f.Add(`<table><caption><span class="a">x</span> <span> y </span></caption><tr class=" lvl-1  b"><th scope="row">&#43; a</th><td> b &amp; c </td></tr></table>`)
	f.Add("<table>\n<tr>\n<td>\t1\r\n</td>\n</tr>\n</table>")
	f.Add(`<table><tr><td><a href="/a?b=c&amp;d">&lt;x&gt;</a> </td></tr></table>`)
	m := newMinifier()
	f.Fuzz(func(t *testing.T, src string) {
		var scratch compactScratch
		got, ok := compactTable(nil, []byte(src), &scratch)
		if !ok {
			return
		}
		want, err := m.Bytes("text/html", []byte(src)) // a copy: the minifier changes its input
		if err != nil {
			t.Fatalf("compactTable took %q, which the minifier refuses: %v", src, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("compactTable(%q)\n got  %q\n want %q", src, got, want)
		}
	})
}

// FuzzMinifyPage: any page is minified as the minifier does, whatever its
// tables.
func FuzzMinifyPage(f *testing.F) {
	f.Add("<p>a <table><tr><td> x </td></tr></table> b</p>")
	f.Add("<pre><table><tr><td> x </td></tr></table></pre>")
	f.Add("<svg><foreignObject><table><tr><td> x </td></tr></table></foreignObject></svg><table></table>")
	f.Add("<textarea><table></table></textarea> <table><tr><td> 1 </td></tr></table>")
	f.Add("<template><table><tr><td> 1 </td></tr></table></template>")
	m := newMinifier()
	f.Fuzz(func(t *testing.T, page string) {
		if strings.Count(page, "<") > 200 {
			return // the minifier's look-ahead bound is not what is tested here
		}
		samePage(t, m, "page", []byte(page), nil)
	})
}

// TestTableTag: every element of tableElems is found by its name.
func TestTableTag(t *testing.T) {
	for i := range tableElems {
		e := &tableElems[i]
		for _, tag := range []string{"<" + e.name + ">", "</" + e.name + ">"} {
			if got, k := tableTag([]byte(tag), 0); got != e || k != len(tag)-1 {
				t.Errorf("tableTag(%q) = %v, %d; want %s, %d", tag, got, k, e.name, len(tag)-1)
			}
		}
	}
	if got, _ := tableTag([]byte("<tablex>"), 0); got != nil {
		t.Errorf("tableTag(<tablex>) = %v", got)
	}
}

// FuzzCompactSVG: whatever compactSVG accepts, it writes as the minifier
// writes inline SVG.
func FuzzCompactSVG(f *testing.F) {
	page, err := os.ReadFile("../testdata/golden/demo-00005-cgj__2023__final__index.html")
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range scanTags(page, func(*tag) {}, nil) {
		if r.svg {
			f.Add(string(page[r.start:r.end]))
		}
	}
	f.Add(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e2 50%" x="0" y="-0.0" version="1.1"><g> </g><text x="01.50" font-size="12PX"> a &lt; b </text><path d="M0.0,0.5 L 10 10 H 5 z"/><rect fill="#AABBCC" stroke="red"/></svg>`)
	m := newMinifier()
	f.Fuzz(func(t *testing.T, src string) {
		var scratch compactScratch
		got, ok := compactSVG(nil, []byte(src), &scratch, func(d []byte) ([]byte, bool) { return minifyPathData(m, d, &scratch) })
		if !ok {
			return
		}
		var want bytes.Buffer
		if err := m.MinifyMimetype([]byte("image/svg+xml"), &want, bytes.NewReader([]byte(src)), map[string]string{"inline": "1"}); err != nil {
			t.Fatalf("compactSVG took %q, which the minifier refuses: %v", src, err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("compactSVG(%q)\n got  %q\n want %q", src, got, want.Bytes())
		}
	})
}

// TestGeneratedJSONAsIs: minifying, the stage minifies the JSON of
// static/ but writes the build's own JSON as it came: its writers write
// no space, and the minifier would write 12000.00 as 12e3.
func TestGeneratedJSONAsIs(t *testing.T) {
	s, sink := newStage(t, Options{Minify: true})
	data := "{\"facts\":[\n[\"a\",12000.00],\n[\"b\",0.50]\n]}\n"
	if _, err := s.WriteFileKept("a/data/figures.json", []byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("a/data/more.json", []byte(data)); err != nil {
		t.Fatal(err)
	}
	a, err := s.Asset("static/data/x.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Finish(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a/data/figures.json", "a/data/more.json"} {
		if got := string(sink.Files[name]); got != data {
			t.Errorf("%s written as %q, want it as it came", name, got)
		}
	}
	if got := string(sink.Files[a.Name]); got != `{"facts":[["a",12e3],["b",0.5]]}` {
		t.Errorf("static JSON written as %q, want it minified", got)
	}
}

// FuzzPlainValue holds plainValue to its definition: no NUL, tab, line
// break, form feed or <, no space at either end, no two spaces together.
func FuzzPlainValue(f *testing.F) {
	for _, v := range []string{"", "a", "a b", "a  b", " a", "a ", " ", "  ", "a\tb", "a<b", "\x00", "0 0 640 400", "translate(10 20)", "a\fb", "x\ny"} {
		f.Add([]byte(v))
	}
	f.Fuzz(func(t *testing.T, val []byte) {
		want := !(bytes.ContainsAny(val, "\x00\t\n\r\f<") || len(val) > 0 && (val[0] == ' ' || val[len(val)-1] == ' ') || bytes.Contains(val, []byte("  ")))
		if got := plainValue(val); got != want {
			t.Fatalf("plainValue(%q) = %t, want %t", val, got, want)
		}
	})
}
