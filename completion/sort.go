package completion

import "sort"

// sortItems orders items as a client would: by SortText, then label.
func sortItems(items []Item) {
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].SortText != items[j].SortText {
			return items[i].SortText < items[j].SortText
		}
		return items[i].Label < items[j].Label
	})
}
