package fiscal

import (
	"strings"
	"testing"

	"github.com/disclose/disclose/generator/diag"
)

func TestBuiltinCatalogs(t *testing.T) {
	var diags diag.List
	cat := LoadCatalog(&diags, BuiltinCatalog())
	cls := LoadClassification(&diags, BuiltinClassification())
	if len(diags) > 0 {
		t.Fatalf("built-in catalogue problems:\n%v", diags.Err())
	}
	// Every kind of fiscal-domain.md §1.4 A, B and C, and the narrative lists.
	for _, id := range []string{
		"budget_summary", "budget_income", "budget_expenditure", "budget_fiscal_summary", "budget_gpb",
		"budget_fund", "budget_soe", "budget_gpb_basic", "budget_sangong",
		"final_summary", "final_income", "final_expenditure", "final_fiscal_summary", "final_gpb",
		"final_gpb_basic", "final_sangong", "final_fund", "final_soe",
		"income_list", "expenditure_list", "sangong_list", "running_list", "procurement_list",
		"assets_list", "performance_list", "org", "list",
	} {
		if cat.Kind(id) == nil {
			t.Errorf("kind %s missing", id)
		}
	}
	tests := []struct {
		scheme CodeScheme
		code   string
		year   int
		want   string
	}{
		{Function, "210", 2018, "医疗卫生与计划生育支出"},
		{Function, "210", 2020, "卫生健康支出"},
		{Function, "2080501", 2020, "归口管理的行政单位离退休"},
		{Function, "2080501", 2025, "行政单位离退休"},
		{Economic, "30217", 2020, "公务接待费"},
		{Function, "224", 2018, ""},
	}
	for _, tt := range tests {
		got, ok := cls.Name(tt.scheme, tt.code, tt.year)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Name(%s, %s, %d) = %q, %v; want %q", tt.scheme, tt.code, tt.year, got, ok, tt.want)
		}
	}
}

func TestCatalogExtension(t *testing.T) {
	var diags diag.List
	site := CatalogFile{Name: "content/catalog/tables.toml", Data: []byte(`
[[kind]]
id = "org"
name = "机构与人员"
[[kind.part]]
key = "rows"
columns = [{ id = "staff", title = "编制", type = "count" }]

[[kind]]
id = "meeting"
name = "会议费"
[[kind.part]]
columnset = "list"
`)}
	cat := LoadCatalog(&diags, BuiltinCatalog(), site)
	if len(diags) > 0 {
		t.Fatal(diags.Err())
	}
	if k := cat.Kind("org"); k.Name != "机构与人员" || len(k.Parts[0].Columns) != 1 {
		t.Errorf("a site kind with a built-in id should replace it: %+v", k)
	}
	if k := cat.Kind("meeting"); k == nil || k.Parts[0].Column("amount") == nil {
		t.Errorf("a new site kind should be added with the built-in column sets: %+v", k)
	}
	if got := cat.IDs(); got[len(got)-1] != "meeting" {
		t.Errorf("new kinds come last: %v", got)
	}
}

// FuzzNormName holds NormName's shortcuts to the plain definition: trim,
// drop a list marker, fold brackets, quotes and spaces.
func FuzzNormName(f *testing.F) {
	for _, s := range []string{"一、财政拨款收入", "1. 一般公共预算资金", "（一）内设机构", "“三公”经费", "因公出国(境)费", " 基本支出 ", "12345", "一般"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := nameFolder.Replace(listMarker.ReplaceAllString(strings.TrimSpace(s), ""))
		if got := NormName(s); got != want {
			t.Fatalf("NormName(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestDisclosureTable looks tables up by reference name (in any form that
// normalizes alike), kind and title, whether the name was set with SetID,
// written into ID directly, or changed after SetID.
func TestDisclosureTable(t *testing.T) {
	var diags diag.List
	cat := LoadCatalog(&diags, BuiltinCatalog())
	income := &Table{Kind: cat.Kind("budget_income"), Title: "2024年部门收入总表"}
	sangong := &Table{Kind: cat.Kind("budget_sangong")}
	extra := &Table{ID: "附表（一）", Kind: cat.Kind("budget_income"), Title: "附表"}
	income.SetID("收入总表")
	sangong.SetID("三公表")
	d := &Disclosure{Tables: []*Table{income, sangong, extra}}
	for _, tt := range []struct {
		ref  string
		want *Table
	}{
		{"收入总表", income},
		{" 收入总表 ", income},
		{"三公表", sangong},
		{"budget_sangong", sangong},
		{"2024年部门收入总表", income},
		{"附表(一)", extra},
		{"支出总表", nil},
	} {
		if got := d.Table(tt.ref); got != tt.want {
			t.Errorf("Table(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
	sangong.ID = "三公"
	if got := d.Table("三公"); got != sangong {
		t.Errorf("after ID changed, Table(三公) = %v", got)
	}
	if got := d.Table("三公表"); got != nil {
		t.Errorf("after ID changed, Table(三公表) = %v, want nil", got)
	}
}
