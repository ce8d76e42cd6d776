package render

import (
	"bytes"
	"errors"
	"html/template"
	"testing"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator/chart"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/markdown"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
	"github.com/yuin/goldmark"
)

// The benchmarks of the render stages run on a synthetic site of
// 10 bodies × 2 years (40 disclosures: every standard table, 4 Markdown
// sections each with data references, embedded tables and glossary terms),
// loaded once. One op renders all 40 disclosures; the µs/disclosure metric
// is the figure to compare with a build's time per disclosure.
//
//	go test ./generator/render -run '^$' -bench . -benchmem

const (
	benchBodies = 10
	benchYears  = 2
)

// benchDisclosures loads the synthetic site and returns a Renderer set up
// as generator.Build sets it up (theme layouts, the glossary and site-link
// Markdown extensions) and every disclosure. fast false makes the Renderer
// execute the theme's table and chart partials instead of its fast writers,
// as it does for a site that overrides them.
func benchDisclosures(b *testing.B, fast bool) (*Renderer, []*fiscal.Disclosure) {
	b.Helper()
	src := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: benchBodies, Years: benchYears, Seed: 1}, src); err != nil {
		b.Fatal(err)
	}
	site, diags := content.Load(src.FS())
	if diags.HasErrors() {
		b.Fatal(diags.Err())
	}
	md := markdown.New(markdown.Options{UnsafeHTML: site.Config.UnsafeHTML,
		Extensions: []goldmark.Extender{glossary.Extension{}, markdown.SiteLinks("/", nil)}})
	o := Options{Layouts: disclose.Theme(), Markdown: md}
	if fast {
		o.Theme = disclose.Theme()
	}
	r, diags := New(site, o)
	if r == nil {
		b.Fatal(diags.Err())
	}
	if r.fastTable != fast || r.fastChart != fast {
		b.Fatalf("fast table %v, fast chart %v; want %v", r.fastTable, r.fastChart, fast)
	}
	var ds []*fiscal.Disclosure
	for _, body := range site.Bodies {
		ds = append(ds, body.Disclosures...)
	}
	return r, ds
}

// perDisclosure reports the time per disclosure of a benchmark whose op
// renders n disclosures.
func perDisclosure(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N)/float64(n), "µs/disclosure")
}

// textResolver resolves every reference to a short inline text: Markdown
// without the cost of the data it refers to.
type textResolver struct{}

func (textResolver) Resolve(markdown.Ref) (markdown.Output, error) {
	return markdown.Output{Text: "2966.24万元"}, nil
}

// renderSections renders d's Markdown sections as DisclosurePage does: a
// page's anchors and glossary terms, references resolved by the page's
// resolver (figures, phrases, embedded tables, charts placed by reference)
// unless res is given. It returns the bytes of HTML written.
func renderSections(b *testing.B, r *Renderer, d *fiscal.Disclosure, res markdown.Resolver) int {
	var diags diag.List
	ids, gp := r.pageAnchors(d)
	if res == nil {
		// The page's charts without its downloads (BenchmarkDownloads in
		// generator/dataset measures those).
		pr := newResolver(newPageCharts(r, d, ids, &diags))
		pr.terms = func() (template.HTML, error) { return r.termsHTML(d, gp, &diags) }
		res = pr
	}
	n := 0
	var buf bytes.Buffer
	for _, s := range d.Sections {
		gp.BeginSection(sectionID(ids, s), s.Title)
		buf.Reset()
		result, err := r.md.Render(&buf, markdown.Doc{Source: s.Markdown, Line: s.Line, Context: gp.Context()}, ids, res)
		if err != nil {
			b.Fatal(err)
		}
		if len(result.Errors) > 0 {
			b.Fatalf("%s: %v", s.File, result.Errors[0])
		}
		n += buf.Len()
	}
	return n
}

// BenchmarkMarkdown renders every Markdown section of the 40 disclosures
// to HTML with the build's goldmark (tables, strikethrough, data
// references, heading anchors, glossary marks, site links). refs=page
// resolves the references as a page does (figures and phrases, embedded
// tables, charts placed by reference); refs=text resolves each to a short
// text, leaving the Markdown alone. SetBytes is the Markdown read.
//
//	go test ./generator/render -run '^$' -bench Markdown -benchmem
func BenchmarkMarkdown(b *testing.B) {
	r, ds := benchDisclosures(b, true)
	var src int64
	for _, d := range ds {
		for _, s := range d.Sections {
			src += int64(len(s.Markdown))
		}
	}
	for _, tc := range []struct {
		name string
		res  markdown.Resolver
	}{
		{"refs=page", nil},
		{"refs=text", textResolver{}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(src)
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range ds {
					renderSections(b, r, d, tc.res)
				}
			}
			perDisclosure(b, len(ds))
		})
	}
}

// BenchmarkTables renders every table of the 40 disclosures to HTML as a
// page does (NewTableView, then the "table" layout): with the fast writer
// the build uses for the theme's own table partial (writer=fast), and by
// executing the partial (writer=template), as for a site that overrides it.
// SetBytes is the HTML written.
//
//	go test ./generator/render -run '^$' -bench Tables -benchmem
func BenchmarkTables(b *testing.B) {
	for _, fast := range []bool{true, false} {
		name := "writer=template"
		if fast {
			name = "writer=fast"
		}
		b.Run(name, func(b *testing.B) {
			r, ds := benchDisclosures(b, fast)
			tables := 0
			var out int64
			for _, d := range ds {
				for _, t := range d.Tables {
					tables++
					html, err := r.tableHTML(t, "table-"+markdown.Slug(t.ID))
					if err != nil {
						b.Fatal(err)
					}
					out += int64(len(html))
				}
			}
			b.SetBytes(out)
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range ds {
					for _, t := range d.Tables {
						tv := NewTableView(t, "table-"+markdown.Slug(t.ID))
						if _, err := r.tableViewHTML(&tv); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			perDisclosure(b, len(ds))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N)/float64(tables), "µs/table")
		})
	}
}

// BenchmarkCharts builds every automatic chart of the 40 disclosures
// (收入构成, 支出构成, 支出功能分类, 三公 …) as a page does: the figures
// read from the disclosure, then each chart drawn as SVG and put in the
// "chart" layout with its caption and data table. stage=draw stops at the
// SVG; layout=fast adds the build's fast writer of the theme's chart
// partial; layout=template executes the partial instead. SetBytes is the
// HTML written.
//
//	go test ./generator/render -run '^$' -bench Charts -benchmem
func BenchmarkCharts(b *testing.B) {
	for _, tc := range []struct {
		name       string
		fast, html bool
	}{
		{"stage=draw", true, false},
		{"layout=fast", true, true},
		{"layout=template", false, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r, ds := benchDisclosures(b, tc.fast)
			charts := func() (n int, size int64) {
				for _, d := range ds {
					ids := markdown.NewIDs()
					pc := newPageCharts(r, d, ids, nil)
					for _, f := range pc.auto {
						var err error
						if tc.html {
							var v ChartView
							v, err = pc.view(f)
							size += int64(len(v.HTML))
						} else {
							var c chart.Chart
							c, err = f.draw(ids.Unique("chart"))
							size += int64(len(c.SVG))
						}
						if errors.Is(err, chart.ErrNoData) {
							continue
						}
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
				}
				return n, size
			}
			n, size := charts()
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				charts()
			}
			perDisclosure(b, len(ds))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N)/float64(n), "µs/chart")
		})
	}
}

// BenchmarkDisclosurePage renders the 40 disclosure pages whole, as a build
// does before the publish stage: DisclosurePage (sections, tables, charts,
// downloads, glossary) and the "disclosure" layout. It is the sum the
// stage benchmarks above take apart. SetBytes is the HTML written.
//
//	go test ./generator/render -run '^$' -bench DisclosurePage -benchmem
func BenchmarkDisclosurePage(b *testing.B) {
	r, ds := benchDisclosures(b, true)
	sv := r.SiteView()
	page := func(d *fiscal.Disclosure) int {
		p, diags := r.DisclosurePage(sv, d)
		if diags.HasErrors() {
			b.Fatal(diags.Err())
		}
		html, err := r.Execute("disclosure", p)
		if err != nil {
			b.Fatal(err)
		}
		return len(html)
	}
	var size int64
	for _, d := range ds {
		size += int64(page(d))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range ds {
			page(d)
		}
	}
	perDisclosure(b, len(ds))
}
