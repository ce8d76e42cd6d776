package search

// MoneyForms exports moneyForms to the tests of package search_test.
var MoneyForms = moneyForms
