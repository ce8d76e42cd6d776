package search

import (
	"fmt"
	"strings"
	"testing"
)

// sections renders extracted sections compactly: anchor|title|level, then
// the text with its title part in [brackets] and money cells in {unit:…}.
func sections(secs []Section) string {
	var b strings.Builder
	for _, s := range secs {
		fmt.Fprintf(&b, "#%s|%s|%d\n", s.Anchor, s.Title, s.Level)
		text := s.Text
		var out strings.Builder
		out.WriteString("[" + text[:s.Body] + "]")
		last := s.Body
		for _, m := range s.Money {
			out.WriteString(text[last:m.Start])
			out.WriteString("{" + m.Unit + ":" + text[m.Start:m.End] + "}")
			last = m.End
		}
		out.WriteString(text[last:])
		b.WriteString(out.String() + "\n")
	}
	return b.String()
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{
			name: "headings split sections; h1 titles the first",
			html: `<html><body><header><a href="/">站点</a></header><main>
<p class="doc-kind">2020年度部门预算</p><h1>某中心2020年度部门预算</h1>
<nav class="toc"><h2 id="toc-title">目录</h2><ol><li>一</li></ol></nav>
<section><h2 id="explanation">第三部分 情况说明</h2>
<h3 id="sangong">二、“三公”经费</h3><p>“三公”经费<a href="#t">预算</a>5万元。</p>
<h3 id="running">三、机关运行经费</h3><p>机关运行经费51.23万元。</p></section>
</main><footer>主办单位</footer></body></html>`,
			want: `#|某中心2020年度部门预算|1
[某中心2020年度部门预算]
2020年度部门预算
某中心2020年度部门预算
#explanation|第三部分 情况说明|2
[第三部分 情况说明]
#sangong|二、“三公”经费|3
[二、“三公”经费]
“三公”经费预算5万元。
#running|三、机关运行经费|3
[三、机关运行经费]
机关运行经费51.23万元。
`,
		},
		{
			name: "a table is a section titled by its caption; cells are amounts in its unit",
			html: `<main><h2 id="s">一、收支</h2><p>收入如下：</p>
<figure class="data-table" id="table-收入"><div><table>
<caption id="c"><span class="table-number">表1</span> <span>收入预算</span> <span class="table-unit">单位：万元</span></caption>
<thead><tr><th scope="col">项目</th><th scope="col" class="num">金额</th></tr></thead>
<tbody><tr><th scope="row">收入预算</th><td class="num money">2,966.24</td><td class="num">-5.43</td></tr></tbody>
</table></div><p class="table-note">注：无。</p></figure>
<p>表后的说明。</p></main>`,
			want: `#||1
[]
#s|一、收支|2
[一、收支]
收入如下：
表后的说明。
#table-收入|表1 收入预算|7
[表1 收入预算 单位：万元]
项目 金额
收入预算 {万元:2,966.24} -5.43
注：无。
`,
		},
		{
			name: "marked sections, skipped elements, soft line breaks between CJK",
			html: `<main><h1>名词解释</h1><dl>
<div class="term" id="term-a" data-search-section><dt><dfn>基本支出</dfn></dt><dd><p>指保障机构正常运转
而发生的支出。</p><p class="uses" data-search-skip>见于：某页</p></dd></div>
<div id="term-b" data-search-section="项目支出"><dd>指在基本支出之外 English
words &amp; more.</dd></div>
</dl><p hidden>隐藏</p><p aria-hidden="true">隐藏</p><script>var x = "<p>";</script><svg><text>图</text></svg></main>`,
			want: `#|名词解释|1
[名词解释]
#term-a|基本支出|7
[基本支出]
指保障机构正常运转而发生的支出。
#term-b|项目支出|7
[项目支出]
指在基本支出之外 English words & more.
`,
		},
		{
			name: "a chart's figure is no section; download links are no text",
			html: `<main><h2 id="s">二、“三公”经费</h2><p>安排5万元。</p>
<figure class="chart" id="chart-三公"><svg role="img"><title>图</title><text>5.00</text></svg>
<figcaption><span>“三公”经费与上年比较</span> <span>数据：<a href="#t">表</a> <a href="/x.csv" download="x.csv">下载数据（CSV，348 B）</a></span></figcaption></figure>
<figure class="data-table" id="table-三公"><table><caption>“三公”经费 单位：万元</caption><tbody><tr><th>合计</th><td class="money">5.00</td></tr></tbody></table>
<p class="table-download"><a href="/t.csv" download="t.csv">下载本表数据（CSV，686 B）</a></p></figure>
<p>其后。</p></main>`,
			want: `#||1
[]
#s|二、“三公”经费|2
[二、“三公”经费]
安排5万元。
“三公”经费与上年比较 数据：表
其后。
#table-三公|“三公”经费|7
[“三公”经费 单位：万元]
合计 {万元:5.00}
`,
		},
		{
			name: "no main: the body",
			html: `<body><p>正文</p><h2 id="x">标题</h2><p>内容<br>下一行</p></body>`,
			want: `#||1
[]正文
#x|标题|2
[标题]
内容
下一行
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sections(Extract([]byte(tt.html))); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestExtractMalformed(t *testing.T) {
	// Unclosed and stray tags must not lose text or panic.
	in := `<main><h2 id="a">甲<p>一<td class="money">5</p></span><h3 id="b">乙</h3>二</main>三`
	got := sections(Extract([]byte(in)))
	for _, want := range []string{"#a|", "一", "5", "#b|乙|3", "二"} {
		if !strings.Contains(got, want) {
			t.Errorf("lost %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "三") {
		t.Errorf("text after </main> indexed:\n%s", got)
	}
}

// FuzzExtract checks what must hold for any page: no panic; every section
// but the first has an anchor; a title has no surrounding space; the title
// part and the money spans lie inside the text, the spans in order.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`<main><h1>标题</h1><h2 id="a">一</h2><p>正文&amp;</p><figure id="t"><table><caption>表 单位：万元</caption><tr><td class="money">1,234.50</td></tr></table></figure></main>`,
		`<body><div id="x" data-search-section="名"><dt>甲</dt></div><p hidden>隐</p><a download href=x>下载</a></body>`,
		`<main><h2 id=a>甲<p>一<td class="money">5</p></span><h3 id='b'>乙</h3>二</main>三`,
		`<main><figure id="c"><svg><text>1</text></svg><figcaption>图</figcaption></figure><table id="t2"><caption>单位:元</caption><td class=" num  money ">7</td></table>`,
		`<main><h2 id="">空</h2><h2 ID="A" DATA-SEARCH-SKIP>隐</h2><h4 id="z">`,
		"<main>\x00<h2 id=\"\xff\">\xfe</h2>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		for i, s := range Extract([]byte(page)) {
			if i > 0 && s.Anchor == "" {
				t.Fatalf("section %d has no anchor: %+v", i, s)
			}
			if s.Title != strings.TrimSpace(s.Title) {
				t.Fatalf("title %q not trimmed", s.Title)
			}
			if s.Body < 0 || s.Body > len(s.Text) {
				t.Fatalf("title part %d outside text of %d bytes", s.Body, len(s.Text))
			}
			last := 0
			for _, m := range s.Money {
				if m.Start < last || m.End < m.Start || m.End > len(s.Text) || m.Unit == "" {
					t.Fatalf("money span %+v after %d in text of %d bytes", m, last, len(s.Text))
				}
				last = m.End
			}
		}
	})
}
