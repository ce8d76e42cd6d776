package chart_test

import (
	"fmt"
	"strings"

	"github.com/disclose/disclose/generator/chart"
	"github.com/disclose/disclose/generator/fiscal"
)

// Values are in 分; the quantity prints them in 万元. The finding is the
// chart's <desc>, what a screen reader reads.
func ExampleBars() {
	items := chart.Rank([]chart.Item{
		{Label: "办公费", Value: 16_000000},
		{Label: "印刷费", Value: 4_520000},
		{Label: "差旅费", Value: 8_000000},
	})
	c, err := chart.Bars(chart.Spec{ID: "running", Title: "2020年机关运行经费预算", Quantity: chart.Money(fiscal.Wanyuan)}, items)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Desc)
	fmt.Println(c.SVG[:strings.Index(c.SVG, "<title")])
	// Output:
	// 共3项，合计28.52万元。办公费最多，为16.00万元，占56.10%；其次是差旅费，为8.00万元，占28.05%。
	// <svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-bars" viewBox="0 0 360 144.2" width="360" height="144.2" role="img" aria-labelledby="running-t" aria-describedby="running-d" focusable="false" font-size="14" fill="#1B1F24">
}
