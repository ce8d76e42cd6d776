package glossary_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/markdown"
)

// The benchmarks measure must-show 2 of issue 6: 500 terms over 10,000
// pages. The terms and pages are generated, deterministically: terms of 2–14
// characters drawn from the characters of fiscal Chinese (so they share
// prefixes and suffixes the way 财政拨款 and 财政拨款收入 do, and every page is
// full of near misses), one in ten with a quoted alias; pages of about 2,000
// characters in paragraphs, mentioning a dozen terms each.
//
//	go test ./generator/glossary -run XXX -bench . -benchmem

const (
	benchTerms = 500
	benchPages = 10000
)

const benchChars = "财政拨款收入支出基本项目预算决算一般公共服务类款项行政运行事业单位机关经费公务接待用车购置及维护国有资产资本经营政府性基金社会保障和就业卫生健康医疗住房改革公积金离退休管理事务其他本年上年结转结余合计增减变化原因主要情况说明部门采购绩效目标中心城市智慧数据信息网络安全"

func benchGlossary() []*fiscal.Term {
	r := rand.New(rand.NewPCG(6, 500))
	chars := []rune(benchChars)
	seen := map[string]bool{}
	var terms []*fiscal.Term
	for len(terms) < benchTerms {
		n := 2 + r.IntN(13)
		var b strings.Builder
		for range n {
			b.WriteRune(chars[r.IntN(len(chars))])
		}
		name := b.String()
		if seen[name] {
			continue
		}
		seen[name] = true
		t := &fiscal.Term{Term: name, Definition: "定义" + name}
		if len(terms)%10 == 0 && n > 3 {
			t.Aliases = []string{"“" + name[:6] + "”" + name[6:]}
		}
		terms = append(terms, t)
	}
	return terms
}

func benchCorpus(terms []*fiscal.Term) [][]byte {
	r := rand.New(rand.NewPCG(6, 10000))
	chars := []rune(benchChars + "，。、；：（）的了在是有为")
	pages := make([][]byte, benchPages)
	for i := range pages {
		var b strings.Builder
		for b.Len() < 6000 { // about 2,000 characters
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			if r.IntN(4) == 0 {
				b.WriteString("## ")
				for range 8 {
					b.WriteRune(chars[r.IntN(len(chars))])
				}
				b.WriteString("\n\n")
			}
			for range 120 + r.IntN(120) {
				if r.IntN(40) == 0 {
					t := terms[r.IntN(len(terms))]
					if len(t.Aliases) > 0 && r.IntN(2) == 0 {
						b.WriteString(t.Aliases[0])
					} else {
						b.WriteString(t.Term)
					}
					continue
				}
				b.WriteRune(chars[r.IntN(len(chars))])
			}
		}
		pages[i] = []byte(b.String())
	}
	return pages
}

func corpusBytes(pages [][]byte) int64 {
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	return int64(n)
}

// BenchmarkMatch500Terms10000Pages: one op finds the 500 terms in all
// 10,000 pages.
func BenchmarkMatch500Terms10000Pages(b *testing.B) {
	terms := benchGlossary()
	pages := benchCorpus(terms)
	set := glossary.New(terms).Set(2020, nil)
	m := set.Matcher()
	b.SetBytes(corpusBytes(pages))
	b.ReportAllocs()
	var found []glossary.Match
	n := 0
	for b.Loop() {
		n = 0
		for _, p := range pages {
			found = m.AppendMatches(found[:0], p, nil)
			n += len(found)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchPages, "ns/page")
	b.ReportMetric(float64(n)/benchPages, "matches/page")
}

// BenchmarkNaive500Terms is the approach the matcher replaces, for the
// ratio: every name and alias looked up in the page with strings.Index. One
// op is 100 of the pages (it is too slow for all of them).
func BenchmarkNaive500Terms(b *testing.B) {
	terms := benchGlossary()
	pages := benchCorpus(terms)[:100]
	var names []string
	for _, t := range terms {
		names = append(names, t.Term)
		names = append(names, t.Aliases...)
	}
	b.SetBytes(corpusBytes(pages))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		for _, p := range pages {
			s := string(p)
			for _, name := range names {
				for i := 0; ; {
					j := strings.Index(s[i:], name)
					if j < 0 {
						break
					}
					n++
					i += j + len(name)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100, "ns/page")
}

// BenchmarkNewSet500Terms builds the matcher of 500 terms: once per year
// and build, or per page with its own terms.
func BenchmarkNewSet500Terms(b *testing.B) {
	terms := benchGlossary()
	b.ReportAllocs()
	for b.Loop() {
		glossary.New(terms).Set(2020, nil)
	}
}

// BenchmarkRenderPage renders generated pages as Markdown sections, with
// and without marking: the cost of the glossary in a build. One op is one
// page.
func BenchmarkRenderPage(b *testing.B) {
	terms := benchGlossary()
	pages := benchCorpus(terms)[:1000]
	g := glossary.New(terms)
	for _, tc := range []struct {
		name string
		md   *markdown.Renderer
	}{{"without", markdown.New(markdown.Options{})}, {"with", newMarkdown()}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(corpusBytes(pages) / int64(len(pages)))
			b.ReportAllocs()
			var buf bytes.Buffer
			i := 0
			for b.Loop() {
				p := glossary.NewPage(g.Set(2020, nil), glossary.PageOptions{GlossaryPage: "/glossary/"})
				p.BeginSection("s", "s")
				buf.Reset()
				if _, err := tc.md.Render(&buf, markdown.Doc{Source: pages[i%len(pages)], Line: 1, Context: p.Context()}, markdown.NewIDs(), nil); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
