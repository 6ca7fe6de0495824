package completion

import "sort"

// labels returns the items' labels in the order a client shows them: by
// SortText, then label.
func labels(items []Item) []string {
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].SortText != items[j].SortText {
			return items[i].SortText < items[j].SortText
		}
		return items[i].Label < items[j].Label
	})
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}
