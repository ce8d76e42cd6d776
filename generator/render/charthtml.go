package render

import "strings"

// writeChart writes what the theme's layouts/partials/chart.html writes for
// v, byte for byte, without html/template's reflection (a disclosure page
// has half a dozen charts, each with its caption and data table). It is
// used only while a site keeps the theme's chart partial; a test holds the
// two to the same output.
func writeChart(b *strings.Builder, v *ChartView) {
	b.WriteString(`<figure class="chart chart-`)
	esc(b, v.Kind)
	b.WriteString(`" id="`)
	esc(b, v.ID)
	b.WriteString("\">\n<figcaption><span class=\"chart-title\">")
	esc(b, v.Title)
	b.WriteString("</span><span class=\"chart-meta\">单位：")
	esc(b, v.Unit)
	b.WriteString(`<span class="chart-source">数据：`)
	if v.Source.Path != "" {
		b.WriteString(`<a href="`)
		esc(b, normalizeURL(v.Source.Path))
		b.WriteString(`">`)
		esc(b, v.Source.Title)
		b.WriteString(`</a>`)
	} else {
		esc(b, v.Source.Title)
	}
	b.WriteString(`</span>`)
	if v.CSV != nil {
		b.WriteString(`<span class="chart-csv"><a href="`)
		esc(b, normalizeURL(v.CSV.Href))
		b.WriteString(`" download="`)
		esc(b, v.CSV.Name)
		b.WriteString(`">下载数据（CSV，`)
		esc(b, v.CSV.Size)
		b.WriteString(`）</a></span>`)
	}
	b.WriteString("</span>")
	for _, n := range v.Notes {
		b.WriteString(`<span class="chart-note">`)
		esc(b, n)
		b.WriteString("</span>")
	}
	b.WriteString("</figcaption>\n")
	if v.Beside {
		b.WriteString("<div class=\"chart-beside\">\n<div class=\"chart-graphic\">")
		b.WriteString(string(v.SVG))
		b.WriteString("</div>\n")
		writeChartData(b, v)
		b.WriteString("\n</div>\n")
	} else {
		b.WriteString(`<div class="chart-graphic">`)
		b.WriteString(string(v.SVG))
		b.WriteString("</div>\n")
		if len(v.Data.Rows) > 0 {
			b.WriteString("<details class=\"chart-details\">\n<summary>图表数据</summary>\n")
			writeChartData(b, v)
			b.WriteString("\n</details>\n")
		}
	}
	b.WriteString("</figure>")
}

// writeChartData writes the "chart-data" partial.
func writeChartData(b *strings.Builder, v *ChartView) {
	b.WriteString(`<div class="table-scroll chart-data" role="region" aria-labelledby="`)
	esc(b, v.ID)
	b.WriteString("-data\" tabindex=\"0\">\n<table>\n<caption id=\"")
	esc(b, v.ID)
	b.WriteString(`-data">`)
	esc(b, v.Title)
	b.WriteString(`<span class="table-unit">单位：`)
	esc(b, v.Unit)
	b.WriteString("</span></caption>\n<thead><tr>")
	for i, h := range v.Data.Head {
		b.WriteString(`<th scope="col"`)
		if i > 0 {
			b.WriteString(` class="num"`)
		}
		b.WriteByte('>')
		esc(b, h)
		b.WriteString("</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range v.Data.Rows {
		startRow(b, row.Class)
		for i, c := range row.Cells {
			if i > 0 {
				b.WriteString(`<td class="num">`)
				esc(b, c)
				b.WriteString("</td>")
			} else {
				b.WriteString(`<th scope="row">`)
				esc(b, c)
				b.WriteString("</th>")
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n</div>")
}
